namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// beta deviceManagement/androidManagedStoreAccountEnterpriseSettings: the managed Google Play binding, approveApps and syncApps
/// (intune-androidforwork-androidmanagedstoreaccountenterprisesettings-get.md, -approveapps.md, -syncapps.md). Those pages ask
/// DeviceManagementConfiguration.Read.All to read and DeviceManagementConfiguration.ReadWrite.All for both actions.
/// </summary>
internal sealed class ManagedGooglePlayRoutes(TenantState state, SimulatorOptions options, Func<string> newId)
{
    private const string Settings = "deviceManagement/androidManagedStoreAccountEnterpriseSettings";

    // Google's product ids for apps are "app:" + the package name (Play EMM API, products resource: "app:com.google.android.gm").
    private const string ProductPrefix = "app:";

    private static readonly Needs Read = Needs.Any("DeviceManagementConfiguration.Read.All");
    private static readonly Needs Write = Needs.Any("DeviceManagementConfiguration.ReadWrite.All");

    private readonly string settingsId = newId();

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    private bool Bound => options.ManagedPlayBinding is ManagedPlayBinding.Bound or ManagedPlayBinding.BoundAndValidated;

    public void Register(GraphRouter router)
    {
        const ThrottleCategory apps = ThrottleCategory.Apps;
        router.Get(Settings, apps, Read, GetSettings, betaOnly: true);
        router.Write("POST", $"{Settings}/approveApps", apps, Write, ApproveApps, betaOnly: true);
        router.Write("POST", $"{Settings}/syncApps", apps, Write, SyncApps, betaOnly: true);
    }

    // The docs' sample wraps the entity in "value"; Graph answers a singleton as the entity itself.
    private GraphResponse GetSettings(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            var lastSync = state.ManagedGooglePlay.LastAppSync;
            var settings = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.androidManagedStoreAccountEnterpriseSettings",
                ["id"] = settingsId,
                ["bindStatus"] = WireName(options.ManagedPlayBinding),
                ["lastAppSyncDateTime"] = lastSync is { } at ? GraphJson.Date(at) : "0001-01-01T00:00:00Z",
                ["lastAppSyncStatus"] = "success",
                ["ownerUserPrincipalName"] = Bound ? "intune.admin@ibs-gov.example" : null,
                ["ownerOrganizationName"] = Bound ? "IBS Government" : null,
                ["lastModifiedDateTime"] = GraphJson.Date(Now),
                ["enrollmentTarget"] = "all",
                ["targetGroupIds"] = new JsonArray(),
                ["deviceOwnerManagementEnabled"] = Bound,
                ["androidDeviceOwnerFullyManagedEnrollmentEnabled"] = Bound,
            };
            return GraphResponse.Ok(GraphJson.Entity(request, Settings, (JsonObject)Paging.Select(request, settings)));
        }
    }

    private GraphResponse ApproveApps(GraphRequest request, RouteArgs args)
    {
        if (!Bound)
        {
            return NotBound("approveApps");
        }

        if (request.Body?["packageIds"] is not JsonArray { Count: > 0 } ids)
        {
            return IntuneAppErrors.BadRequest("packageIds is required and must list at least one package.", $"{Settings}/approveApps", Now);
        }

        if (request.Body["approveAllPermissions"] is { } all && all.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            return IntuneAppErrors.BadRequest("approveAllPermissions must be a boolean.", $"{Settings}/approveApps", Now);
        }

        var packages = new List<string>();
        foreach (var id in ids)
        {
            if (id is not JsonValue value || !value.TryGetValue<string>(out var productId)
                || !productId.StartsWith(ProductPrefix, StringComparison.Ordinal) || productId.Length == ProductPrefix.Length)
            {
                return IntuneAppErrors.BadRequest($"packageIds holds '{id?.ToJsonString()}', not a product id of the form app:<package name>.", $"{Settings}/approveApps", Now);
            }

            packages.Add(productId[ProductPrefix.Length..]);
        }

        lock (state.Gate)
        {
            packages.ForEach(state.ManagedGooglePlay.ApproveUnlocked);
        }

        return GraphResponse.NoContent();
    }

    private GraphResponse SyncApps(GraphRequest request, RouteArgs args)
    {
        if (!Bound)
        {
            return NotBound("syncApps");
        }

        lock (state.Gate)
        {
            var now = Now;
            state.ManagedGooglePlay.SyncUnlocked(state, now, now + options.Scaled(options.ManagedPlaySync));
            state.ManagedGooglePlay.ArriveUnlocked(state, now, newId);
        }

        return GraphResponse.NoContent();
    }

    private GraphResponse NotBound(string action) =>
        IntuneAppErrors.BadRequest("The tenant is not bound to a managed Google Play account.", $"{Settings}/{action}", Now);

    private static string WireName(ManagedPlayBinding binding) => binding switch
    {
        ManagedPlayBinding.NotBound => "notBound",
        ManagedPlayBinding.Bound => "bound",
        ManagedPlayBinding.BoundAndValidated => "boundAndValidated",
        ManagedPlayBinding.Unbinding => "unbinding",
        _ => throw new ArgumentOutOfRangeException(nameof(binding), binding, null),
    };
}
