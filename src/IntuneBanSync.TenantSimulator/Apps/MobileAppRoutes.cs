using Microsoft.AspNetCore.WebUtilities;

namespace IntuneBanSync.TenantSimulator;

/// <summary>
/// deviceAppManagement/mobileApps: the catalog and its group assignments. A new winGetApp is "processing" for a while and takes no
/// assignment until it is "published"; an androidManagedStoreApp cannot be created, only approved and synced from managed Google Play.
/// </summary>
internal sealed class MobileAppRoutes(TenantState state, SimulatorOptions options, Func<string> newId)
{
    private static readonly string[] Intents = ["available", "required", "uninstall", "availableWithoutEnrollment"];

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    private static readonly Needs AppsRead = Needs.Any("DeviceManagementApps.Read.All");
    private static readonly Needs AppsWrite = Needs.Any("DeviceManagementApps.ReadWrite.All");

    public void Register(GraphRouter router)
    {
        const ThrottleCategory apps = ThrottleCategory.Apps;
        router.Get("deviceAppManagement/mobileApps", apps, AppsRead, ListApps);
        router.Get("deviceAppManagement/mobileApps/{id}", apps, AppsRead, GetApp);
        router.Write("POST", "deviceAppManagement/mobileApps", apps, AppsWrite, CreateApp);
        router.Get("deviceAppManagement/mobileApps/{id}/assignments", apps, AppsRead, ListAssignments);
        router.Write("POST", "deviceAppManagement/mobileApps/{id}/assignments", apps, AppsWrite, AddAssignment);
        router.Write("DELETE", "deviceAppManagement/mobileApps/{id}/assignments/{assignmentId}", apps, AppsWrite, DeleteAssignment);
        router.Write("POST", "deviceAppManagement/mobileApps/{id}/assign", apps, AppsWrite, ReplaceAssignments);
    }

    private JsonObject Shape(MobileApp app)
    {
        var shape = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{app.ODataType}",
            ["id"] = app.Id,
            ["displayName"] = app.DisplayName,
            ["publisher"] = app.Publisher,
            ["createdDateTime"] = GraphJson.Date(app.CreatedDateTime),
            ["lastModifiedDateTime"] = GraphJson.Date(app.CreatedDateTime),
            ["isFeatured"] = false,
            ["publishingState"] = app.IsPublishedAt(Now) ? "published" : "processing",
        };
        switch (app.ODataType)
        {
            case "iosStoreApp":
                shape["bundleId"] = app.BundleId;
                shape["appStoreUrl"] = app.AppStoreUrl;
                shape["applicableDeviceType"] = new JsonObject { ["iPad"] = true, ["iPhoneAndIPod"] = true };
                break;
            case "androidStoreApp":
                shape["packageId"] = app.PackageId;
                shape["appStoreUrl"] = app.AppStoreUrl;
                break;
            case "androidManagedStoreApp":
                shape["packageId"] = app.PackageId;
                shape["appIdentifier"] = app.PackageId;
                shape["appStoreUrl"] = app.AppStoreUrl;
                shape["isPrivate"] = false;
                shape["isSystemApp"] = false;
                shape["supportsOemConfig"] = false;
                break;
            case "winGetApp":
                shape["packageIdentifier"] = app.PackageIdentifier;
                break;
        }

        return shape;
    }

    private static JsonObject Shape(AppAssignment assignment) => new()
    {
        ["@odata.type"] = "#microsoft.graph.mobileAppAssignment",
        ["id"] = assignment.Id,
        ["intent"] = assignment.Intent,
        ["target"] = new JsonObject
        {
            ["@odata.type"] = assignment.Excluded ? "#microsoft.graph.exclusionGroupAssignmentTarget" : "#microsoft.graph.groupAssignmentTarget",
            ["groupId"] = assignment.GroupId,
        },
        ["settings"] = null,
    };

    private GraphResponse ListApps(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            state.ManagedGooglePlay.ArriveUnlocked(state, Now, newId);
            IReadOnlyList<MobileApp> apps = state.MobileAppsUnlocked;
            if (request.QueryValue("$filter") is { } filter)
            {
                if (!ODataFilter.TryIsOf(filter, out var type))
                {
                    return GraphJson.BadRequest($"Invalid filter clause: {filter}", Now);
                }

                apps = [.. apps.Where(a => string.Equals(a.ODataType, type, StringComparison.OrdinalIgnoreCase))];
            }

            return Paging.Page(request, apps, 100, options.MaxTop, "deviceAppManagement/mobileApps", Shape, Now);
        }
    }

    private GraphResponse GetApp(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            state.ManagedGooglePlay.ArriveUnlocked(state, Now, newId);
            return state.FindMobileApp(args["id"]) is { } app
                ? GraphResponse.Ok(GraphJson.Entity(request, "deviceAppManagement/mobileApps", (JsonObject)Paging.Select(request, Shape(app))))
                : AppNotFound(args["id"]);
        }
    }

    private GraphResponse CreateApp(GraphRequest request, RouteArgs args)
    {
        if (request.Body is not JsonObject body || body["@odata.type"]?.GetValue<string>() is not { } odataType)
        {
            return GraphJson.BadRequest("A mobileApp needs an @odata.type.", Now);
        }

        var type = odataType.TrimStart('#').Replace("microsoft.graph.", "", StringComparison.OrdinalIgnoreCase);
        var displayName = Text(body, "displayName");
        var publisher = Text(body, "publisher") ?? "";
        var appStoreUrl = Text(body, "appStoreUrl");
        if (string.IsNullOrWhiteSpace(displayName))
        {
            return GraphJson.BadRequest("displayName is required.", Now);
        }

        MobileApp app;
        switch (type)
        {
            case "iosStoreApp":
                if (Text(body, "bundleId") is not { Length: > 0 } bundleId || string.IsNullOrWhiteSpace(appStoreUrl))
                {
                    return GraphJson.BadRequest("An iosStoreApp needs bundleId and appStoreUrl.", Now);
                }

                app = new MobileApp(newId(), type, displayName, publisher, bundleId, null, null, appStoreUrl, Now, []);
                break;
            case "androidStoreApp":
                // The service derives packageId from the store URL; the SDK never sends it in v1.0.
                if (PackageIdFromStoreUrl(appStoreUrl) is not { } packageId)
                {
                    return GraphJson.BadRequest("An androidStoreApp needs an appStoreUrl with an id= query.", Now);
                }

                app = new MobileApp(newId(), type, displayName, publisher, null, packageId, null, appStoreUrl, Now, []);
                break;
            case "winGetApp" when request.Version == "beta":
                if (Text(body, "packageIdentifier") is not { Length: > 0 } packageIdentifier)
                {
                    return GraphJson.BadRequest("A winGetApp needs a packageIdentifier.", Now);
                }

                var processing = options.Scaled(options.WinGetPublishing);
                app = new MobileApp(newId(), type, displayName, publisher, null, null, packageIdentifier, null, Now, [],
                    processing > TimeSpan.Zero ? Now + processing : null);
                break;
            case "androidManagedStoreApp":
                // Graph answers its generic app-service error (microsoft-graph-docs-contrib #5499, #3603): these apps come from managed Google Play.
                return IntuneAppErrors.BadRequest("An error has occurred", "deviceAppManagement/mobileApps", Now);
            default:
                return GraphJson.BadRequest($"Cannot create a mobileApp of type '{odataType}' in {request.Version}.", Now);
        }

        lock (state.Gate)
        {
            state.AddMobileApp(app);
        }

        return GraphResponse.Created(GraphJson.Entity(request, "deviceAppManagement/mobileApps", Shape(app)));
    }

    private GraphResponse ListAssignments(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            return state.FindMobileApp(args["id"]) is { } app
                ? Paging.Page(request, app.Assignments, 100, options.MaxTop, $"deviceAppManagement/mobileApps('{app.Id}')/assignments", Shape, Now)
                : AppNotFound(args["id"]);
        }
    }

    private GraphResponse AddAssignment(GraphRequest request, RouteArgs args)
    {
        if (ParseAssignment(request.Body) is not { } parsed)
        {
            return GraphJson.BadRequest("An assignment needs an intent and a groupAssignmentTarget with a groupId.", Now);
        }

        lock (state.Gate)
        {
            if (state.FindMobileApp(args["id"]) is not { } app)
            {
                return AppNotFound(args["id"]);
            }

            if (!app.IsPublishedAt(Now))
            {
                return NotPublished(app, "assignments");
            }

            if (app.Assignments.Any(a => string.Equals(a.GroupId, parsed.GroupId, StringComparison.OrdinalIgnoreCase)))
            {
                return GraphJson.BadRequest($"The group '{parsed.GroupId}' already has an assignment for this app.", Now);
            }

            var assignment = parsed with { Id = newId() };
            state.ReplaceMobileApp(app with { Assignments = [.. app.Assignments, assignment] });
            return GraphResponse.Created(GraphJson.Entity(request, $"deviceAppManagement/mobileApps('{app.Id}')/assignments", Shape(assignment)));
        }
    }

    private GraphResponse DeleteAssignment(GraphRequest request, RouteArgs args)
    {
        lock (state.Gate)
        {
            if (state.FindMobileApp(args["id"]) is not { } app)
            {
                return AppNotFound(args["id"]);
            }

            var remaining = app.Assignments.Where(a => !string.Equals(a.Id, args["assignmentId"], StringComparison.OrdinalIgnoreCase)).ToList();
            if (remaining.Count == app.Assignments.Count)
            {
                return GraphJson.NotFound($"Assignment '{args["assignmentId"]}' not found.", Now);
            }

            state.ReplaceMobileApp(app with { Assignments = remaining });
            return GraphResponse.NoContent();
        }
    }

    private GraphResponse ReplaceAssignments(GraphRequest request, RouteArgs args)
    {
        if (request.Body?["mobileAppAssignments"] is not JsonArray items)
        {
            return GraphJson.BadRequest("mobileAppAssignments is required.", Now);
        }

        var assignments = new List<AppAssignment>();
        foreach (var item in items)
        {
            if (ParseAssignment(item) is not { } parsed)
            {
                return GraphJson.BadRequest("An assignment needs an intent and a groupAssignmentTarget with a groupId.", Now);
            }

            if (assignments.Any(a => string.Equals(a.GroupId, parsed.GroupId, StringComparison.OrdinalIgnoreCase)))
            {
                return GraphJson.BadRequest($"The group '{parsed.GroupId}' is assigned more than once.", Now);
            }

            assignments.Add(parsed with { Id = newId() });
        }

        lock (state.Gate)
        {
            if (state.FindMobileApp(args["id"]) is not { } app)
            {
                return AppNotFound(args["id"]);
            }

            if (!app.IsPublishedAt(Now))
            {
                return NotPublished(app, "microsoft.management.services.api.assign");
            }

            state.ReplaceMobileApp(app with { Assignments = assignments });
            return GraphResponse.NoContent();
        }
    }

    private static AppAssignment? ParseAssignment(JsonNode? node)
    {
        var intent = node?["intent"]?.GetValue<string>();
        var targetType = node?["target"]?["@odata.type"]?.GetValue<string>();
        var groupId = node?["target"]?["groupId"]?.GetValue<string>();
        var excluded = targetType is "#microsoft.graph.exclusionGroupAssignmentTarget" or "microsoft.graph.exclusionGroupAssignmentTarget";
        return intent is not null && Intents.Contains(intent)
            && (excluded || targetType is "#microsoft.graph.groupAssignmentTarget" or "microsoft.graph.groupAssignmentTarget")
            && Guid.TryParse(groupId, out _)
            ? new AppAssignment("", intent, groupId!, excluded)
            : null;
    }

    private static string? PackageIdFromStoreUrl(string? appStoreUrl) =>
        Uri.TryCreate(appStoreUrl, UriKind.Absolute, out var uri)
        && QueryHelpers.ParseQuery(uri.Query).TryGetValue("id", out var id)
        && !string.IsNullOrWhiteSpace(id)
            ? id.ToString()
            : null;

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private GraphResponse AppNotFound(string id) => GraphJson.NotFound($"Mobile app '{id}' not found.", Now);

    // andrew-s-taylor/public #20 (POST …/assign on a WinGet app just created) and Micke-K/IntuneManagement #323.
    private GraphResponse NotPublished(MobileApp app, string action) =>
        IntuneAppErrors.BadRequest("Invalid operation: app's PublishingState is not 'Published'.", $"deviceAppManagement/mobileApps('{app.Id}')/{action}", Now);
}
