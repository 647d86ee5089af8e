using Microsoft.Graph;
using Microsoft.Graph.Groups.Item.Members.Ref;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.CheckMemberGroups;
using GraphDevice = Microsoft.Graph.Models.Device;
using GraphGroup = Microsoft.Graph.Models.Group;
using GraphUser = Microsoft.Graph.Models.User;

namespace IntuneBanSync.IntegrationTests.Simulator;

public sealed class DirectoryTests : SimulatorTests
{
    [Fact]
    public async Task Transitive_members_return_nested_users_and_device_objects()
    {
        var tenant = await StartAsync();
        var police = tenant.State.GroupByName("IBS Police");
        var brussels = tenant.State.GroupByName("IBS Police Zone Brussels");
        var nestedUser = brussels.MemberIds.First();
        var directDevice = tenant.State.EntraDevices.First(d => police.MemberIds.Contains(d.Id));

        var members = await Client.Groups[police.Id].TransitiveMembers.GetAsync(r => r.QueryParameters.Top = 999);

        var items = members!.Value!;
        Assert.Equal(tenant.State.TransitiveMemberIds(police.Id).Order(), items.Select(m => m.Id!).Order());
        Assert.Contains(items, m => m is GraphUser user && user.Id == nestedUser && user.UserPrincipalName is not null);
        Assert.Contains(items, m => m is GraphDevice device && device.Id == directDevice.Id && device.DeviceId == directDevice.DeviceId);
        Assert.Contains(items, m => m is GraphGroup group && group.Id == brussels.Id);
    }

    [Fact]
    public async Task Direct_members_do_not_include_nested_ones()
    {
        var tenant = await StartAsync();
        var police = tenant.State.GroupByName("IBS Police");

        var members = await Client.Groups[police.Id].Members.GetAsync(r => r.QueryParameters.Top = 999);

        Assert.Equal(police.MemberIds.Order(), members!.Value!.Select(m => m.Id!).Order());
    }

    [Fact]
    public async Task Adding_an_existing_member_by_ref_is_400_and_a_missing_object_is_404()
    {
        var tenant = await StartAsync();
        var exemptions = tenant.State.GroupByName("IBS TikTok Exemptions");
        var existing = exemptions.MemberIds[0];

        var duplicate = await Assert.ThrowsAsync<ODataError>(() => Client.Groups[exemptions.Id].Members.Ref.PostAsync(
            new ReferenceCreate { OdataId = SimulatorGraph.DirectoryObjectUrl(existing) }));
        var missing = await Assert.ThrowsAsync<ODataError>(() => Client.Groups[exemptions.Id].Members.Ref.PostAsync(
            new ReferenceCreate { OdataId = SimulatorGraph.DirectoryObjectUrl(Guid.NewGuid().ToString()) }));

        Assert.Equal(400, duplicate.ResponseStatusCode);
        Assert.Contains("already exist", duplicate.Error!.Message);
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal(exemptions.MemberIds, tenant.State.GroupByName("IBS TikTok Exemptions").MemberIds);
    }

    [Fact]
    public async Task Adding_and_removing_a_member_by_ref_changes_the_group()
    {
        var tenant = await StartAsync();
        var pilot = tenant.State.GroupByName("IBS Pilot Devices");
        var device = tenant.State.EntraDevices.First(d => !pilot.MemberIds.Contains(d.Id));

        await Client.Groups[pilot.Id].Members.Ref.PostAsync(new ReferenceCreate { OdataId = SimulatorGraph.DirectoryObjectUrl(device.Id) });
        var added = tenant.State.GroupByName("IBS Pilot Devices").MemberIds;
        await Client.Groups[pilot.Id].Members[device.Id].Ref.DeleteAsync();
        var removed = tenant.State.GroupByName("IBS Pilot Devices").MemberIds;
        var again = await Assert.ThrowsAsync<ODataError>(() => Client.Groups[pilot.Id].Members[device.Id].Ref.DeleteAsync());

        Assert.Contains(device.Id, added);
        Assert.DoesNotContain(device.Id, removed);
        Assert.Equal(404, again.ResponseStatusCode);
    }

    [Fact]
    public async Task Batched_member_additions_answer_per_item()
    {
        var tenant = await StartAsync();
        var exemptions = tenant.State.GroupByName("IBS TikTok Exemptions");
        var newcomer = tenant.State.Users.First(u => !exemptions.MemberIds.Contains(u.Id)).Id;
        var batch = new BatchRequestContentCollection(Client);
        var add = await batch.AddBatchRequestStepAsync(Client.Groups[exemptions.Id].Members.Ref.ToPostRequestInformation(
            new ReferenceCreate { OdataId = SimulatorGraph.DirectoryObjectUrl(newcomer) }));
        var duplicate = await batch.AddBatchRequestStepAsync(Client.Groups[exemptions.Id].Members.Ref.ToPostRequestInformation(
            new ReferenceCreate { OdataId = SimulatorGraph.DirectoryObjectUrl(exemptions.MemberIds[0]) }));

        var response = await Client.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.NoContent, statuses[add]);
        Assert.Equal(HttpStatusCode.BadRequest, statuses[duplicate]);
        Assert.Contains(newcomer, tenant.State.GroupByName("IBS TikTok Exemptions").MemberIds);
        Assert.Equal(2, tenant.Requests.Writes);
    }

    [Fact]
    public async Task Binding_more_than_20_members_in_one_patch_is_400()
    {
        var tenant = await StartAsync();
        var group = await Client.Groups.PostAsync(new GraphGroup { DisplayName = "IBS Ban tiktok", MailEnabled = false, SecurityEnabled = true, MailNickname = "ibsbantiktok" });
        var devices = tenant.State.EntraDevices.Take(21).Select(d => SimulatorGraph.DirectoryObjectUrl(d.Id)).ToList();

        var error = await Assert.ThrowsAsync<ODataError>(() => Client.Groups[group!.Id].PatchAsync(new GraphGroup
        {
            AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = devices },
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Empty(tenant.State.GroupByName("IBS Ban tiktok").MemberIds);
    }

    [Fact]
    public async Task Binding_members_with_one_bad_entry_adds_none()
    {
        var tenant = await StartAsync();
        var group = await Client.Groups.PostAsync(new GraphGroup { DisplayName = "IBS Ban tiktok", MailEnabled = false, SecurityEnabled = true, MailNickname = "ibsbantiktok" });
        var good = tenant.State.EntraDevices.Take(5).Select(d => SimulatorGraph.DirectoryObjectUrl(d.Id)).ToList();

        var error = await Assert.ThrowsAsync<ODataError>(() => Client.Groups[group!.Id].PatchAsync(new GraphGroup
        {
            AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = (List<string>)[.. good, SimulatorGraph.DirectoryObjectUrl(Guid.NewGuid().ToString())] },
        }));
        await Client.Groups[group!.Id].PatchAsync(new GraphGroup { AdditionalData = new Dictionary<string, object> { ["members@odata.bind"] = good } });

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal(tenant.State.EntraDevices.Take(5).Select(d => d.Id), tenant.State.GroupByName("IBS Ban tiktok").MemberIds);
    }

    [Fact]
    public async Task Check_member_groups_answers_transitively_for_users()
    {
        var tenant = await StartAsync();
        var police = tenant.State.GroupByName("IBS Police");
        var pilot = tenant.State.GroupByName("IBS Pilot Devices");
        var nestedUser = tenant.State.GroupByName("IBS Police Zone Brussels").MemberIds.First();

        var result = await Client.Users[nestedUser].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
            new CheckMemberGroupsPostRequestBody { GroupIds = [police.Id, pilot.Id] });

        Assert.Equal([police.Id], result!.Value!);
    }

    [Fact]
    public async Task Entra_device_is_found_by_its_device_id()
    {
        var tenant = await StartAsync();
        var managed = tenant.State.ManagedDevices[3];

        var found = await Client.Devices.GetAsync(r => r.QueryParameters.Filter = $"deviceId eq '{managed.AzureAdDeviceId}'");

        var device = Assert.Single(found!.Value!);
        Assert.Equal(tenant.State.EntraDevices.Single(d => d.DeviceId == managed.AzureAdDeviceId).Id, device.Id);
    }

    [Fact]
    public async Task Users_are_found_by_user_principal_name()
    {
        var tenant = await StartAsync();
        var expected = tenant.State.Users[5];

        var user = await Client.Users[expected.UserPrincipalName].GetAsync();

        Assert.Equal(expected.Id, user!.Id);
    }
}
