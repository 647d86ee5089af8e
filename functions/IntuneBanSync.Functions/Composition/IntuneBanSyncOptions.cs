using System.ComponentModel.DataAnnotations;
using Cronos;

namespace IntuneBanSync.Functions.Composition;

/// <summary>The app's own settings (section IntuneBanSync; in App Settings, IntuneBanSync__Name).</summary>
public sealed class IntuneBanSyncOptions : IValidatableObject
{
    public const string Section = "IntuneBanSync";

    /// <summary>The Entra tenant id or a short name; the journal's partition for this tenant.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public required string Tenant { get; set; }

    /// <summary>The ban list file (format v1), deployed with the app.</summary>
    [Required]
    public required string BanListPath { get; set; }

    /// <summary>NCRONTAB with seconds, as the timer trigger reads it.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 */4 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsSchedule(Schedule))
            yield return new ValidationResult($"'{Schedule}' is not a six-field NCRONTAB schedule such as '0 0 */4 * * *'.", [nameof(Schedule)]);
    }

    private static bool IsSchedule(string? value)
    {
        try
        {
            return value is not null && CronExpression.Parse(value, CronFormat.IncludeSeconds) is not null;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}

/// <summary>Table Storage for the journal: a connection string (Azurite, keys) or a service URI reached with the managed identity.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "IntuneBanSync:Storage";

    public string? ConnectionString { get; set; }

    [Url]
    public string? TableServiceUri { get; set; }

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    public string TablePrefix { get; set; } = "ibs";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == string.IsNullOrWhiteSpace(TableServiceUri))
            yield return new ValidationResult("Set exactly one of ConnectionString or TableServiceUri.", [nameof(ConnectionString), nameof(TableServiceUri)]);
    }
}

/// <summary>Which identity the app uses in Azure.</summary>
public sealed class IdentityOptions
{
    public const string Section = "IntuneBanSync:Identity";

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one or local developer sign-in.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
