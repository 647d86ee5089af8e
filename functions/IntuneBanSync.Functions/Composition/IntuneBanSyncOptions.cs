using System.ComponentModel.DataAnnotations;
using Cronos;

namespace IntuneBanSync.Functions.Composition;

/// <summary>The app's own settings (section IntuneBanSync; in App Settings, IntuneBanSync__Name).</summary>
public sealed class IntuneBanSyncOptions : IValidatableObject
{
    public const string Section = "IntuneBanSync";

    /// <summary>The Entra tenant id or a short name (<see cref="TenantName"/>); in lower case, the journal's partition for this tenant.</summary>
    [Required]
    public required string Tenant { get; set; }

    /// <summary>A ban list file (format v1) imported into the store for a tenant that has none yet; the admin API edits it from then on.</summary>
    public string? BanListPath { get; set; }

    /// <summary>Several tenants from one deployment (e.g. a federal and a regional government); empty for <see cref="Tenant"/> alone.</summary>
    public List<TenantOptions> Tenants { get; set; } = [];

    /// <summary>Every tenant this deployment sweeps. A deployment of one tenant, configured by <see cref="Tenant"/> alone, accepts the deployment-wide roles.</summary>
    public IReadOnlyList<TenantOptions> AllTenants => Tenants.Count > 0 ? Tenants : [new TenantOptions { Name = Tenant, AllowDeploymentRoles = "true" }];

    /// <summary>NCRONTAB with seconds, as the timer trigger reads it.</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 */4 * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsSchedule(Schedule))
            yield return new ValidationResult($"'{Schedule}' is not a six-field NCRONTAB schedule such as '0 0 */4 * * *'.", [nameof(Schedule)]);
        if (Tenant is not null && !TenantName.IsValid(Tenant))
            yield return new ValidationResult($"{nameof(Tenant)} must be {TenantName.Rule}.", [nameof(Tenant)]);
        for (var i = 0; i < Tenants.Count; i++)
        {
            var tenant = Tenants[i];
            var field = $"{nameof(Tenants)}:{i}";
            if (!TenantName.IsValid(tenant.Name))
                yield return new ValidationResult($"{field}:Name must be {TenantName.Rule}.", [$"{field}:Name"]);
            else if (Tenants.Take(i).Any(t => TenantName.Same(t.Name, tenant.Name)))
                yield return new ValidationResult($"{field}:Name '{tenant.Name}' is listed twice (names are compared in lower case).", [$"{field}:Name"]);
            if (tenant.TenantId is not null && !Guid.TryParse(tenant.TenantId, out _))
                yield return new ValidationResult($"{field}:TenantId must be the Entra tenant id (a GUID).", [$"{field}:TenantId"]);
            if (tenant.ClientId is not null && (!Guid.TryParse(tenant.ClientId, out _) || tenant.TenantId is null))
                yield return new ValidationResult($"{field}:ClientId must be an application (client) id, with TenantId set.", [$"{field}:ClientId"]);
            if (tenant.GraphBaseUrl is not null && !Uri.TryCreate(tenant.GraphBaseUrl, UriKind.Absolute, out _))
                yield return new ValidationResult($"{field}:GraphBaseUrl must be an absolute URL.", [$"{field}:GraphBaseUrl"]);
            if (tenant.AllowDeploymentRoles is not null && tenant.DeploymentRolesAllowed is null)
                yield return new ValidationResult($"{field}:AllowDeploymentRoles must be true or false.", [$"{field}:AllowDeploymentRoles"]);
        }

        if (Tenants.Count > 0 && TenantName.IsValid(Tenant) && !Tenants.Any(t => TenantName.Same(t.Name, Tenant)))
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

    /// <summary>
    /// "true" or "false": whether the deployment-wide app roles (IntuneBanSync.Helpdesk, IntuneBanSync.Admin) act on this tenant.
    /// Unset: yes when the deployment has this one tenant, no when it has several, where only the roles named for this tenant
    /// (IntuneBanSync.Helpdesk.{Name}, IntuneBanSync.Admin.{Name}) do.
    /// </summary>
    /// <remarks>Text, checked by <see cref="IntuneBanSyncOptions.Validate"/>: the binder silently drops a list element whose bool it cannot read, and with it the tenant.</remarks>
    public string? AllowDeploymentRoles { get => _allowDeploymentRoles; set => _allowDeploymentRoles = Blank(value); }

    /// <summary><see cref="AllowDeploymentRoles"/> read, or null when unset or not a boolean.</summary>
    public bool? DeploymentRolesAllowed => bool.TryParse(AllowDeploymentRoles, out var allowed) ? allowed : null;

    private string? _tenantId;
    private string? _clientId;
    private string? _graphBaseUrl;
    private string? _allowDeploymentRoles;

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

    /// <summary>Checked by <see cref="JournalKeys.ValidateTablePrefix"/>, the rule every table name is built with.</summary>
    [Required]
    public string TablePrefix { get; set; } = "ibs";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == string.IsNullOrWhiteSpace(TableServiceUri))
            yield return new ValidationResult("Set exactly one of ConnectionString or TableServiceUri.", [nameof(ConnectionString), nameof(TableServiceUri)]);
        if (TablePrefix is not null && !IsTablePrefix(TablePrefix))
            yield return new ValidationResult(
                $"{nameof(TablePrefix)} must be 1 to {JournalKeys.MaxTablePrefixLength} ASCII letters and digits, starting with a letter.", [nameof(TablePrefix)]);
    }

    private static bool IsTablePrefix(string prefix)
    {
        try
        {
            JournalKeys.ValidateTablePrefix(prefix);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Which identity the app uses in Azure.</summary>
public sealed class IdentityOptions
{
    public const string Section = "IntuneBanSync:Identity";

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one or local developer sign-in.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
