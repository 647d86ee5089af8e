using IntuneBanSync.Enforcement.Policies;

namespace IntuneBanSync.Enforcement.Compliance;

/// <summary>
/// What the compliance route asks Graph: its policies (beta deviceCompliancePolicies), its notification templates (beta
/// notificationMessageTemplates), a device's compliance state and the tenant's Conditional Access policies (v1.0). Reads that fail throw
/// <see cref="GraphReadException"/>; writes the service refuses throw <see cref="GraphWriteException"/>.
/// </summary>
public sealed class ComplianceGraph(GraphPolicies policies)
{
    public const string Policies = "deviceCompliancePolicies";
    public const string Templates = "notificationMessageTemplates";

    private GraphJson Json => policies.Json;

    /// <summary>Our policy with its scheduled actions, or null when it is gone.</summary>
    public Task<JsonElement?> PolicyAsync(string id, CancellationToken ct) => policies.GetAsync(Policies, id, ct, CompliancePolicyJson.ExpandActions);

    public Task<JsonElement?> TemplateAsync(string id, CancellationToken ct) => policies.GetAsync(Templates, id, ct);

    public Task<IReadOnlyList<JsonElement>> FindByNameAsync(string collection, string name, CancellationToken ct) =>
        policies.FindByNameAsync(collection, "displayName", name, ct);

    public Task<string> CreateAsync(string collection, JsonObject body, CancellationToken ct) => policies.CreateAsync(collection, body, ct);

    public Task UpdateTemplateAsync(string id, JsonObject patch, CancellationToken ct) => policies.UpdateAsync(Templates, id, patch, ct);

    public Task UpdatePolicyAsync(string id, JsonObject patch, CancellationToken ct) => policies.UpdateAsync(Policies, id, patch, ct);

    /// <summary>Replaces the policy's scheduled actions (beta scheduleActionsForRules; a PATCH does not change them).</summary>
    public Task ScheduleActionsAsync(string id, JsonObject body, CancellationToken ct) =>
        policies.ActAsync($"schedule the actions of compliance policy {id}", $"{policies.Collection(Policies)}/{Uri.EscapeDataString(id)}/scheduleActionsForRules", body, ct);

    public Task<IReadOnlyList<PolicyTarget?>> AssignmentsAsync(string id, CancellationToken ct) => policies.AssignmentsAsync(Policies, id, ct);

    /// <summary>Replaces every assignment of a policy our ledger holds.</summary>
    public Task AssignAsync(string id, IReadOnlyList<PolicyTarget> targets, CancellationToken ct) =>
        policies.AssignOurAsync(
            Policies, id, "assignments",
            [.. targets.Select(t => new JsonObject { ["@odata.type"] = "#microsoft.graph.deviceCompliancePolicyAssignment", ["target"] = t.ToJson() })],
            ct);

    public Task<bool> DeleteAsync(string collection, string id, CancellationToken ct) => policies.DeleteAsync(collection, id, ct);

    public async Task<IReadOnlyList<JsonElement>> MessagesAsync(string templateId, CancellationToken ct) =>
        await Json.ListAsync($"the localized messages of notification template {templateId}", MessagesUrl(templateId), ct).ToListAsync(ct);

    public Task CreateMessageAsync(string templateId, JsonObject body, CancellationToken ct) =>
        Json.WriteAsync($"add the {body["locale"]} message of notification template {templateId}", Method.POST, MessagesUrl(templateId), body, ct);

    public Task UpdateMessageAsync(string templateId, string messageId, JsonObject patch, CancellationToken ct) =>
        Json.WriteAsync($"update message {messageId} of notification template {templateId}", Method.PATCH, $"{MessagesUrl(templateId)}/{Uri.EscapeDataString(messageId)}", patch, ct);

    /// <summary>
    /// The device's complianceState (v1.0 managedDevice: "compliant", "noncompliant", "inGracePeriod", …), what Conditional Access
    /// evaluates; null when the device is gone.
    /// </summary>
    public async Task<string?> ComplianceStateAsync(string managedDeviceId, CancellationToken ct)
    {
        var device = await Json.GetAsync(
            $"the compliance state of device {managedDeviceId}",
            $"{Json.V1}/deviceManagement/managedDevices/{Uri.EscapeDataString(managedDeviceId)}?$select=id,complianceState", ct);
        return device is { } d && d.TryGetProperty("complianceState", out var state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null;
    }

    public async Task<IReadOnlyList<ConditionalAccessPolicy>> ConditionalAccessPoliciesAsync(CancellationToken ct) =>
        await Json.ListAsync(
                "the tenant's Conditional Access policies",
                $"{Json.V1}/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls", ct)
            .Select(ConditionalAccessPolicy.FromJson)
            .ToListAsync(ct);

    private string MessagesUrl(string templateId) => $"{policies.Collection(Templates)}/{Uri.EscapeDataString(templateId)}/localizedNotificationMessages";
}
