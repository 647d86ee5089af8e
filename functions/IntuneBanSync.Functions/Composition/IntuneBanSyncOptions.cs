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

    /// <summary>A ban list file (format v1) imported into the store for a tenant that has none yet; the admin API edits it from then on.</summary>
    public string? BanListPath { get; set; }

    /// <summary>Several tenants from one deployment (e.g. a federal and a regional government); empty for <see cref="Tenant"/> alone.</summary>
    public List<TenantOptions> Tenants { get; set; } = [];

    /// <summary>Every tenant this deployment sweeps.</summary>
    public IReadOnlyList<TenantOptions> AllTenants => Tenants.Count > 0 ? Tenants : [new TenantOptions { Name = Tenant }];

    /// <summary>NCRONTAB with seconds, as the timer trigger reads it.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 */4 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsSchedule(Schedule))
            yield return new ValidationResult($"'{Schedule}' is not a six-field NCRONTAB schedule such as '0 0 */4 * * *'.", [nameof(Schedule)]);
        for (var i = 0; i < Tenants.Count; i++)
        {
            var tenant = Tenants[i];
            var field = $"{nameof(Tenants)}:{i}";
            if (tenant.Name is null || !System.Text.RegularExpressions.Regex.IsMatch(tenant.Name, "^[A-Za-z0-9._-]{1,64}$"))
                yield return new ValidationResult($"{field}:Name must be 1 to 64 letters, digits, '.', '-' or '_'.", [$"{field}:Name"]);
            if (Tenants.Take(i).Any(t => string.Equals(t.Name, tenant.Name, StringComparison.OrdinalIgnoreCase)))
                yield return new ValidationResult($"{field}:Name '{tenant.Name}' is listed twice.", [$"{field}:Name"]);
            if (tenant.TenantId is not null && !Guid.TryParse(tenant.TenantId, out _))
                yield return new ValidationResult($"{field}:TenantId must be the Entra tenant id (a GUID).", [$"{field}:TenantId"]);
            if (tenant.ClientId is not null && (!Guid.TryParse(tenant.ClientId, out _) || tenant.TenantId is null))
                yield return new ValidationResult($"{field}:ClientId must be an application (client) id, with TenantId set.", [$"{field}:ClientId"]);
            if (tenant.GraphBaseUrl is not null && !Uri.TryCreate(tenant.GraphBaseUrl, UriKind.Absolute, out _))
                yield return new ValidationResult($"{field}:GraphBaseUrl must be an absolute URL.", [$"{field}:GraphBaseUrl"]);
        }

        if (Tenants.Count > 0 && !Tenants.Any(t => string.Equals(t.Name, Tenant, StringComparison.OrdinalIgnoreCase)))
            yield return new ValidationResult($"Tenant '{Tenant}' (the default of the HTTP API) must be one of Tenants.", [nameof(Tenant)]);
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

/// <summary>
/// One tenant swept by this deployment. With <see cref="ClientId"/>, Graph is called as that app registration in that
/// tenant, authenticated by a federated credential that trusts our managed identity (no secret); without, as our own identity.
/// </summary>
public sealed class TenantOptions
{
    public string Name { get; set; } = "";

    public string? TenantId { get => _tenantId; set => _tenantId = Blank(value); }

    public string? ClientId { get => _clientId; set => _clientId = Blank(value); }

    public string? GraphBaseUrl { get => _graphBaseUrl; set => _graphBaseUrl = Blank(value); }

    private string? _tenantId;
    private string? _clientId;
    private string? _graphBaseUrl;

    // An empty App Setting means "not set", not an id.
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
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
