namespace IntuneBanSync.TenantSimulator;

/// <summary>Builds a plausible government tenant from a seed; the same seed always yields the same tenant.</summary>
internal sealed class TenantGenerator(TenantSeed seed)
{
    public const string AllStaff = "IBS All Staff";
    public const string Police = "IBS Police";
    public const string PoliceZoneBrussels = "IBS Police Zone Brussels";
    public const string TikTokExemptions = "IBS TikTok Exemptions";
    public const string PilotDevices = "IBS Pilot Devices";

    private static readonly string[] Departments = ["Finance", "Human Resources", "Communications", "Legal", "IT", "Mobility"];
    private static readonly string[] FirstNames = ["Emma", "Lucas", "Louise", "Noah", "Olivia", "Arthur", "Mila", "Jules", "Elena", "Adam", "Sofia", "Victor", "Lina", "Finn", "Nora", "Mohamed", "Julie", "Thomas", "Sarah", "Pieter"];
    private static readonly string[] LastNames = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "Dubois", "Lambert", "Dupont", "Martin", "El Amrani", "Vermeulen", "Leclercq"];

    private readonly Random random = new(seed.Seed);

    // How devices are enrolled is drawn from its own sequence, so adding it left every other draw of a seed as it was.
    private readonly Random enrollment = new(seed.Seed ^ 0x5EED);

    public TenantState Generate()
    {
        var users = GenerateUsers();
        var (managedDevices, entraDevices) = GenerateDevices(users);
        var groups = GenerateGroups(users, managedDevices, entraDevices);
        var departments = DepartmentsOf(groups);
        users = [.. users.Select(u => u with { Department = departments.GetValueOrDefault(u.Id), PreferredLanguage = PickLanguage() })];
        var apps = AppCatalog.SeedCatalog(groups.First(g => g.DisplayName == AllStaff).Id, NewId, seed.Now);
        return new TenantState(users, groups, entraDevices, managedDevices, apps);
    }

    private string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private bool Chance(double share) => random.NextDouble() < share;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private List<User> GenerateUsers()
    {
        var users = new List<User>(seed.Users);
        for (var i = 0; i < seed.Users; i++)
        {
            var first = Pick(FirstNames);
            var last = Pick(LastNames);
            var alias = $"{first}.{last.Replace(" ", "", StringComparison.Ordinal)}{i + 1}".ToLowerInvariant();
            users.Add(new User(NewId(), $"{alias}@ibs-gov.example", $"{first} {last}"));
        }

        return users;
    }

    private (List<ManagedDevice> Managed, List<EntraDevice> Entra) GenerateDevices(List<User> users)
    {
        var managed = new List<ManagedDevice>(seed.Devices);
        var entra = new List<EntraDevice>(seed.Devices);
        for (var i = 0; i < seed.Devices; i++)
        {
            var user = users.Count > 0 && !Chance(seed.UserlessShare) ? users[random.Next(users.Count)] : null;
            var os = PickOperatingSystem();
            var ownership = Chance(seed.UnknownOwnershipShare) ? "unknown" : Chance(seed.PersonalShare) ? "personal" : "company";
            var name = DeviceName(os, user, i);
            var azureAdDeviceId = NewId();
            var lastSync = Chance(seed.StaleShare)
                ? seed.Now - TimeSpan.FromHours(random.Next(8 * 24, 90 * 24))
                : seed.Now - TimeSpan.FromMinutes(random.Next(5, 7 * 24 * 60));
            var apps = InstalledApps(os, ownership);
            var supervised = os is "iOS" or "iPadOS" && ownership == "company" && Chance(0.8);
            var androidMode = os == "Android" ? PickAndroidMode(ownership) : (AndroidMode?)null;
            managed.Add(new ManagedDevice(
                NewId(),
                name,
                user?.Id,
                user?.UserPrincipalName,
                azureAdDeviceId,
                os,
                OsVersion(os),
                ownership,
                supervised,
                lastSync,
                Chance(0.85) ? "compliant" : Chance(0.7) ? "noncompliant" : "unknown",
                apps,
                EnrollmentTypeOf(os, ownership, supervised, androidMode),
                "mdm",
                androidMode));
            entra.Add(new EntraDevice(NewId(), azureAdDeviceId, name));
        }

        return (managed, entra);
    }

    /// <summary>Each member's department: the first department group that holds them, else Police for the police groups' members.</summary>
    private static Dictionary<string, string> DepartmentsOf(List<Group> groups)
    {
        // One pass over the members, not a scan of every group for every user (quadratic at 100,000 devices).
        var departments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in groups.Where(g => g.DisplayName.StartsWith("IBS Dept ", StringComparison.Ordinal)))
        {
            foreach (var member in group.MemberIds)
                departments.TryAdd(member, group.DisplayName["IBS Dept ".Length..]);
        }

        foreach (var group in groups.Where(g => g.DisplayName is Police or PoliceZoneBrussels))
        {
            foreach (var member in group.MemberIds)
                departments.TryAdd(member, "Police");
        }

        return departments;
    }

    // Brussels and federal staff: mostly Dutch and French speakers, some English and German.
    private string PickLanguage() => enrollment.NextDouble() switch
    {
        < 0.40 => "nl-BE",
        < 0.75 => "fr-BE",
        < 0.92 => "en-GB",
        _ => "de-DE",
    };

    private AndroidMode PickAndroidMode(string ownership)
    {
        var roll = enrollment.NextDouble();
        return ownership == "company"
            ? roll switch { < 0.55 => AndroidMode.FullyManaged, < 0.65 => AndroidMode.Dedicated, _ => AndroidMode.CorporateWorkProfile }
            : roll < 0.8 ? AndroidMode.PersonalWorkProfile : AndroidMode.DeviceAdministrator;
    }

    private string EnrollmentTypeOf(string os, string ownership, bool supervised, AndroidMode? androidMode) => (os, androidMode) switch
    {
        (_, AndroidMode.FullyManaged) => "androidEnterpriseFullyManaged",
        (_, AndroidMode.Dedicated) => "androidEnterpriseDedicatedDevice",
        (_, AndroidMode.CorporateWorkProfile) => "androidEnterpriseCorporateWorkProfile",
        ("iOS" or "iPadOS", _) when supervised => "appleBulkWithUser",
        ("iOS" or "iPadOS", _) when ownership == "personal" && enrollment.NextDouble() < 0.4 => "appleUserEnrollment",
        ("Windows", _) => ownership == "company" ? "windowsAzureADJoin" : "windowsAutoEnrollment",
        ("macOS", _) when ownership == "company" => "appleBulkWithUser",
        _ => "userEnrollment",
    };

    private string PickOperatingSystem()
    {
        if (Chance(seed.UnknownOsShare))
        {
            return Chance(0.5) ? "Linux" : "ChromeOS";
        }

        return random.NextDouble() switch
        {
            < 0.34 => "iOS",
            < 0.42 => "iPadOS",
            < 0.72 => "Android",
            < 0.93 => "Windows",
            _ => "macOS",
        };
    }

    private string OsVersion(string os) => os switch
    {
        "iOS" or "iPadOS" => Pick(["17.6.1", "18.1", "18.3.2", "26.0.1", "26.1"]),
        "Android" => Pick(["13", "14", "15", "16"]),
        "Windows" => Pick(["10.0.19045.5371", "10.0.22631.4751", "10.0.26100.2894"]),
        "macOS" => Pick(["14.7.2", "15.3", "26.1"]),
        "ChromeOS" => "16093.68.0",
        _ => "6.8.0",
    };

    private static string DeviceName(string os, User? user, int index)
    {
        var owner = user is null ? "KIOSK" : user.UserPrincipalName.Split('@')[0].Split('.')[0].ToUpperInvariant();
        var kind = os switch
        {
            "iOS" => "iPhone",
            "iPadOS" => "iPad",
            "Android" => "Android",
            "Windows" => "PC",
            "macOS" => "Mac",
            _ => os,
        };
        return $"{owner}-{kind}-{index + 1:D5}";
    }

    private List<InstalledApp> InstalledApps(string os, string ownership)
    {
        var platform = AppCatalog.PlatformOf(os);
        var apps = new List<InstalledApp>();
        foreach (var ordinary in AppCatalog.OrdinaryApps(platform))
        {
            if (Chance(ordinary.Share))
            {
                var source = ordinary.UsuallyManaged || (ownership == "company" && Chance(0.5)) ? AppSource.Managed : AppSource.User;
                apps.Add(new InstalledApp(ordinary.DisplayName, Pick(ordinary.Versions), source, ordinary.Identifier));
            }
        }

        if (platform != AppPlatform.Other && Chance(seed.TikTokShare))
        {
            apps.Add(TikTok(platform));
        }

        if (platform is AppPlatform.Ios or AppPlatform.Android && Chance(seed.DecoyShare))
        {
            var decoy = Pick(AppCatalog.Decoys);
            apps.Add(new InstalledApp(decoy.DisplayName, Pick(decoy.Versions), Chance(0.5) ? AppSource.Managed : AppSource.User, decoy.Identifier));
        }

        return apps;
    }

    private InstalledApp TikTok(AppPlatform platform)
    {
        var lite = platform == AppPlatform.Android && Chance(0.25);
        var displayName = lite
            ? Pick(["TikTok Lite", "TikTok Lite", "tiktok lite"])
            : Pick(["TikTok", "TikTok", "TikTok", "TikTok", "tiktok ", "TIKTOK", " TikTok"]);
        var identifier = platform switch
        {
            AppPlatform.Ios => "com.zhiliaoapp.musically",
            AppPlatform.Android when lite => "com.zhiliaoapp.musically.go",
            AppPlatform.Android => Chance(0.2) ? "com.ss.android.ugc.trill" : "com.zhiliaoapp.musically",
            AppPlatform.Windows => "9NH2GPH4JZS4",
            _ => null,
        };
        var version = Pick(["36.5.4", "37.0.1", "37.2.0", "38.1.3"]);
        return new InstalledApp(displayName, version, Chance(0.4) ? AppSource.Managed : AppSource.User, identifier);
    }

    private List<Group> GenerateGroups(List<User> users, List<ManagedDevice> managed, List<EntraDevice> entra)
    {
        var groups = new List<Group>();
        var departmentMembers = Departments.Select(_ => new List<string>()).ToArray();
        var police = new List<string>();
        var policeBrussels = new List<string>();
        var exemptions = new List<string>();
        var allStaffDirect = new List<string>();

        foreach (var user in users)
        {
            var roll = random.NextDouble();
            if (roll < 0.06)
            {
                policeBrussels.Add(user.Id);
            }
            else if (roll < 0.10)
            {
                police.Add(user.Id);
            }
            else if (roll < 0.97)
            {
                departmentMembers[random.Next(Departments.Length)].Add(user.Id);
            }
            else
            {
                allStaffDirect.Add(user.Id);
            }
        }

        foreach (var user in users.Take(Math.Max(3, users.Count / 60)))
        {
            exemptions.Add(user.Id);
        }

        var departmentGroups = Departments
            .Select((name, i) => new Group(NewId(), $"IBS Dept {name}", departmentMembers[i]))
            .ToList();
        var entraByDeviceId = entra.ToDictionary(d => d.DeviceId, StringComparer.OrdinalIgnoreCase);
        var policeDevices = managed.Where(_ => Chance(0.02)).ToList();
        if (policeDevices.Count == 0 && managed.Count > 0)
        {
            policeDevices.Add(managed[^1]);
        }

        police.AddRange(policeDevices.Select(d => entraByDeviceId[d.AzureAdDeviceId].Id));
        if (policeBrussels.Count == 0 && police.Count > 0)
        {
            policeBrussels.Add(police[0]);
            police.RemoveAt(0);
        }

        var brussels = new Group(NewId(), PoliceZoneBrussels, policeBrussels);
        police.Add(brussels.Id);
        var pilot = entra.Where(_ => Chance(0.05)).Select(d => d.Id).ToList();
        if (pilot.Count == 0 && entra.Count > 0)
        {
            pilot.Add(entra[0].Id);
        }

        groups.Add(new Group(NewId(), AllStaff, [.. departmentGroups.Select(g => g.Id), .. allStaffDirect]));
        groups.AddRange(departmentGroups);
        groups.Add(new Group(NewId(), Police, police));
        groups.Add(brussels);
        groups.Add(new Group(NewId(), TikTokExemptions, exemptions));
        groups.Add(new Group(NewId(), PilotDevices, pilot));
        return groups;
    }
}
