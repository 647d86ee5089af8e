namespace IntuneBanSync.Tests.Sweeps;

/// <summary>The rules of a sweep request that the CLI and the HTTP API share: one validator, one message per refusal.</summary>
public sealed class SweepInputTests
{
    private const string UserId = "6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

    [Fact]
    public void Nothing_asked_is_a_sweep_of_the_whole_tenant_in_each_bans_own_mode()
    {
        var choices = SweepInput.Validate(new SweepAsk());

        Assert.Equal(new SweepChoices(SweepTarget.WholeTenant), choices);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("device")]
    public void Enforcement_of_one_user_or_device_is_refused_naming_mode(string target)
    {
        var ask = target == "user" ? new SweepAsk(User: "alice@contoso.com", Mode: "enforce") : new SweepAsk(Device: UserId, Mode: "enforce");

        var error = Assert.Throws<SweepInputException>(() => SweepInput.Validate(ask));

        Assert.Equal(SweepInputField.Mode, error.Field);
        Assert.Contains("only reports", error.Message);
    }

    [Fact]
    public void Blast_radius_override_of_one_user_is_refused_naming_it()
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Validate(new SweepAsk(User: "alice@contoso.com", OverrideBlastRadius: true)));

        Assert.Equal(SweepInputField.OverrideBlastRadius, error.Field);
    }

    [Fact]
    public void Report_of_one_user_is_accepted()
    {
        var choices = SweepInput.Validate(new SweepAsk(User: "alice@contoso.com", Mode: "report"));

        Assert.Equal(new SweepChoices(new SweepTarget(User: "alice@contoso.com"), EnforcementMode.Report), choices);
    }

    [Theory]
    [InlineData("enforce", false)]
    [InlineData(null, true)]
    [InlineData("report", true)]
    public void As_of_with_enforcement_is_refused_naming_as_of(string? mode, bool overrideBlastRadius)
    {
        var ask = new SweepAsk(Mode: mode, AsOf: "2027-02-01T00:00:00Z", OverrideBlastRadius: overrideBlastRadius);

        var error = Assert.Throws<SweepInputException>(() => SweepInput.Validate(ask));

        Assert.Equal(SweepInputField.AsOf, error.Field);
        Assert.Contains("report only", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("report")]
    public void As_of_of_a_report_is_accepted(string? mode)
    {
        var choices = SweepInput.Validate(new SweepAsk(Mode: mode, AsOf: "2027-02-01T10:00:00+01:00"));

        Assert.Equal(new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero), choices.AsOf);
    }

    [Theory]
    [InlineData("{6B1D2C3E-4F50-4A6B-8C7D-9E0F1A2B3C4D}")]
    [InlineData("(6b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d)")]
    [InlineData("6b1d2c3e4f504a6b8c7d9e0f1a2b3c4d")]
    [InlineData(" 6B1D2C3E-4F50-4A6B-8C7D-9E0F1A2B3C4D ")]
    public void User_id_in_any_guid_form_is_canonical(string user)
    {
        var target = SweepInput.Target(user, null);

        Assert.Equal(new SweepTarget(User: UserId), target);
    }

    [Theory]
    [InlineData("{6B1D2C3E-4F50-4A6B-8C7D-9E0F1A2B3C4D}")]
    [InlineData("6b1d2c3e4f504a6b8c7d9e0f1a2b3c4d")]
    public void Device_id_in_any_guid_form_is_canonical(string device)
    {
        var target = SweepInput.Target(null, device);

        Assert.Equal(new SweepTarget(Device: UserId), target);
    }

    [Fact]
    public void User_principal_name_is_kept_trimmed()
    {
        var target = SweepInput.Target("  Alice.Smith@Contoso.com ", null);

        Assert.Equal(new SweepTarget(User: "Alice.Smith@Contoso.com"), target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alice")]
    [InlineData("@contoso.com")]
    [InlineData("alice@")]
    [InlineData("alice@contoso@com")]
    [InlineData("alice smith@contoso.com")]
    [InlineData("alice\u001b[2J@contoso.com")]
    [InlineData("{6b1d2c3e-4f50-4a6b-8c7d}")]
    public void User_that_is_neither_an_object_id_nor_a_user_principal_name_is_refused_naming_user(string user)
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Target(user, null));

        Assert.Equal(SweepInputField.User, error.Field);
    }

    [Fact]
    public void User_principal_name_longer_than_entra_allows_is_refused()
    {
        var user = new string('a', SweepInput.MaxUserPrincipalNameLength - "@contoso.com".Length + 1) + "@contoso.com";

        var error = Assert.Throws<SweepInputException>(() => SweepInput.Target(user, null));

        Assert.Equal(SweepInputField.User, error.Field);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    [InlineData("alice@contoso.com")]
    public void Device_that_is_not_a_guid_is_refused_naming_device(string device)
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Target(null, device));

        Assert.Equal(SweepInputField.Device, error.Field);
    }

    [Fact]
    public void User_and_device_together_are_refused_naming_device()
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Target("alice@contoso.com", UserId));

        Assert.Equal(SweepInputField.Device, error.Field);
    }

    [Theory]
    [InlineData("report", EnforcementMode.Report)]
    [InlineData(" Enforce ", EnforcementMode.Enforce)]
    public void Mode_is_read_in_any_case(string mode, EnforcementMode expected)
    {
        var parsed = SweepInput.Mode(mode);

        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Unknown_mode_is_refused_naming_mode()
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Mode("observe"));

        Assert.Equal(SweepInputField.Mode, error.Field);
    }

    [Theory]
    [InlineData("2026-11-28T00:00:00Z", "2026-11-28T00:00:00+00:00")]
    [InlineData("2026-11-28T10:00+01:00", "2026-11-28T09:00:00+00:00")]
    [InlineData("2026-11-28T10:00:00.5-05:00", "2026-11-28T15:00:00.5+00:00")]
    public void As_of_in_iso_8601_with_a_time_zone_is_read(string text, string expected)
    {
        var asOf = SweepInput.AsOf(text);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), asOf);
    }

    [Theory]
    [InlineData("12/01/2026 10:00 +01:00")]
    [InlineData("01.12.2026 10:00 +01:00")]
    [InlineData("Tuesday, 01 December 2026 10:00 +01:00")]
    [InlineData("2026-11-28")]
    [InlineData("2026-11-28T00:00:00")]
    [InlineData("2026-11-28 00:00:00Z")]
    [InlineData("2026-11-28T00:00:00Z\n")]
    [InlineData("2026-11-28T00:00:00+0100")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-11-28T00:00:00+15:00")]
    [InlineData("")]
    public void As_of_that_is_not_strict_iso_8601_with_a_time_zone_is_refused_naming_as_of(string text)
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.AsOf(text));

        Assert.Equal(SweepInputField.AsOf, error.Field);
    }

    [Fact]
    public void Refusal_does_not_echo_control_characters()
    {
        var error = Assert.Throws<SweepInputException>(() => SweepInput.Target(null, "evil\u001b[2J"));

        Assert.DoesNotContain('\u001b', error.Message);
        Assert.Contains("evil[2J", error.Message);
    }

    [Fact]
    public void Checked_choices_become_the_request_the_engine_runs()
    {
        var banList = new BanListDocument(1, [], []);
        var choices = SweepInput.Validate(new SweepAsk(User: UserId, AsOf: "2027-02-01T00:00:00Z"));

        var request = choices.ToRequest(banList, "contoso", "cli", "run-1");

        Assert.Equal(
            new SweepRequest(banList, "contoso", "cli", new SweepTarget(User: UserId), null, new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero), false, "run-1"),
            request);
    }
}
