namespace IntuneBanSync.Tests.Enforcement.Uninstall;

public sealed class UninstallAuditTests
{
    private const string Group = "60000000-0000-4000-8000-000000000001";
    private const string OtherGroup = "60000000-0000-4000-8000-000000000002";
    private const string Device = "d0000000-0000-4000-8000-000000000001";
    private const string OtherDevice = "d0000000-0000-4000-8000-000000000002";
    private const string Member = "0e000000-0000-4000-8000-000000000001";
    private static readonly DateTimeOffset At = new(2023, 3, 25, 12, 0, 0, TimeSpan.Zero);

    private static AuditEntry Write(int sequence, WriteAction action, string target, WriteResult? result = WriteResult.Done, string? deviceId = Device)
    {
        var writeId = $"20230325T120000Z-abcdef-{sequence:D6}";
        return new(
            new WriteIntent(writeId, "tiktok", deviceId, action, target, "20230325T120000Z-abcdef", At),
            result is null ? null : new WriteOutcome(writeId, "tiktok", result.Value, null, At));
    }

    private static AuditEntry Add(int sequence, WriteResult? result = WriteResult.Done, string group = Group) =>
        Write(sequence, UninstallAssignment.AddMember, UninstallAudit.MemberTarget(group, Member), result);

    private static AuditEntry Remove(int sequence, WriteResult? result = WriteResult.Done) =>
        Write(sequence, UninstallAssignment.RemoveMember, UninstallAudit.MemberTarget(Group, Member), result);

    private static AuditEntry Sync(int sequence, string deviceId = Device) =>
        Write(sequence, UninstallAssignment.SyncDevice, $"managedDevices/{deviceId}/syncDevice", deviceId: deviceId);

    [Fact]
    public void Member_we_added_is_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_we_added_then_removed_is_not_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Remove(2)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Empty(ours);
    }

    [Fact]
    public void Member_we_added_again_after_removing_it_is_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Remove(2), Add(3)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_whose_add_failed_is_not_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1, WriteResult.Failed)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Empty(ours);
    }

    [Fact]
    public void Member_whose_add_a_crash_left_open_is_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1, result: null)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_whose_open_add_was_found_not_applied_is_not_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1, WriteResult.NotApplied)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Empty(ours);
    }

    [Fact]
    public void Member_whose_removal_failed_is_still_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Remove(2, WriteResult.Failed)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_whose_removal_a_crash_left_open_is_still_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Remove(2, result: null)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_whose_open_removal_was_found_not_applied_is_still_ours()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Remove(2, WriteResult.NotApplied)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Equal([Member], ours);
    }

    [Fact]
    public void Member_we_added_to_another_group_is_not_ours_in_this_one()
    {
        var audit = new UninstallAudit(new AuditView([Add(1, group: OtherGroup)]));

        var ours = audit.MembersWeAdded(Group);

        Assert.Empty(ours);
    }

    [Fact]
    public void Device_never_synced_has_not_been_synced_since_it_was_added()
    {
        var audit = new UninstallAudit(new AuditView([Add(1)]));

        var synced = audit.SyncedSinceLastAdd(Device);

        Assert.False(synced);
    }

    [Fact]
    public void Device_synced_after_it_was_added_has_been_synced_since()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Sync(2)]));

        var synced = audit.SyncedSinceLastAdd(Device);

        Assert.True(synced);
    }

    [Fact]
    public void Device_synced_only_before_it_was_added_again_has_not_been_synced_since()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Sync(2), Remove(3), Add(4)]));

        var synced = audit.SyncedSinceLastAdd(Device);

        Assert.False(synced);
    }

    [Fact]
    public void Sync_of_another_device_does_not_count()
    {
        var audit = new UninstallAudit(new AuditView([Add(1), Sync(2, OtherDevice)]));

        var synced = audit.SyncedSinceLastAdd(Device);

        Assert.False(synced);
    }

    [Fact]
    public void Sync_orders_by_write_id_across_runs()
    {
        var earlierRunSync = new AuditEntry(
            new WriteIntent("20230324T120000Z-ffffff-000009", "tiktok", Device, UninstallAssignment.SyncDevice, $"managedDevices/{Device}/syncDevice", "20230324T120000Z-ffffff", At),
            null);
        var audit = new UninstallAudit(new AuditView([earlierRunSync, Add(1)]));

        var synced = audit.SyncedSinceLastAdd(Device);

        Assert.False(synced);
    }

    [Fact]
    public void Group_we_created_is_created_by_us_whatever_the_case_of_its_name()
    {
        var audit = new AuditView([Write(1, UninstallAssignment.CreateGroup, "IntuneBanSync – TikTok – uninstall", deviceId: null)]);

        var created = audit.Created(UninstallAssignment.CreateGroup, "intunebansync – tiktok – uninstall");

        Assert.True(created);
    }

    [Fact]
    public void Group_whose_creation_failed_is_not_created_by_us()
    {
        var audit = new AuditView([Write(1, UninstallAssignment.CreateGroup, "IntuneBanSync – TikTok – uninstall", WriteResult.Failed, deviceId: null)]);

        var created = audit.Created(UninstallAssignment.CreateGroup, "IntuneBanSync – TikTok – uninstall");

        Assert.False(created);
    }

    [Fact]
    public void App_created_for_another_identifier_is_not_this_one()
    {
        var audit = new AuditView([Write(1, UninstallAssignment.CreateApp, UninstallAssignment.AppTarget(CatalogAppKind.IosStoreApp, "com.example.other"), deviceId: null)]);

        var created = audit.Created(UninstallAssignment.CreateApp, UninstallAssignment.AppTarget(CatalogAppKind.IosStoreApp, "com.zhiliaoapp.musically"));

        Assert.False(created);
    }

    [Fact]
    public void Open_entries_are_the_writes_without_an_outcome()
    {
        var open = Add(2, result: null);
        var audit = new AuditView([Add(1), open, Sync(3)]);

        var entries = audit.Open;

        Assert.Equal([open], entries);
    }

    [Theory]
    [InlineData(WriteResult.Done, true)]
    [InlineData(WriteResult.Unknown, true)]
    [InlineData(null, true)]
    [InlineData(WriteResult.Failed, false)]
    [InlineData(WriteResult.NotApplied, false)]
    public void An_approval_counts_unless_it_was_refused_or_never_happened(WriteResult? result, bool counts)
    {
        var audit = new UninstallAudit(new AuditView([Write(1, UninstallAssignment.ApproveApp, UninstallAudit.ApprovalTarget("com.zhiliaoapp.musically"), result, deviceId: null)]));

        var approval = audit.ApprovalOf("com.zhiliaoapp.musically");

        Assert.Equal(counts, approval is not null);
    }

    [Fact]
    public void An_approval_is_of_its_package_only()
    {
        var audit = new UninstallAudit(new AuditView([Write(1, UninstallAssignment.ApproveApp, UninstallAudit.ApprovalTarget("com.zhiliaoapp.musically"), deviceId: null)]));

        var lite = audit.ApprovalOf("com.zhiliaoapp.musically.go");

        Assert.Null(lite);
        Assert.Equal("com.zhiliaoapp.musically", UninstallAudit.PackageOf(UninstallAudit.ApprovalTarget("com.zhiliaoapp.musically")));
    }
}
