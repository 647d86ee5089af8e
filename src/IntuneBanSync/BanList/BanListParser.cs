using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace IntuneBanSync.BanList;

public static partial class BanListParser
{
    private const int SupportedVersion = 1;

    private static readonly string[] DocumentProperties = ["version", "bans", "exemptions", "contact"];
    private static readonly string[] BanProperties =
        ["id", "name", "reason", "reference", "apps", "scope", "effectiveFrom", "uninstallBy", "expiresOn", "enforcement", "blastRadius", "notifications"];
    private static readonly string[] BlastRadiusProperties = ["maxDevices", "maxPercent"];
    private static readonly string[] AppsProperties = ["displayNames", "ios", "android", "windows", "macos"];
    private static readonly string[] ScopeProperties = ["includeGroups", "excludeGroups", "advisoryGroups", "ownership", "platforms"];
    private static readonly string[] ExemptionProperties =
        ["id", "ban", "group", "user", "device", "justification", "approvedBy", "expiresOn"];

    private static readonly Dictionary<string, DevicePlatform> Platforms = new(StringComparer.Ordinal)
    {
        ["ios"] = DevicePlatform.Ios,
        ["android"] = DevicePlatform.Android,
        ["windows"] = DevicePlatform.Windows,
        ["macos"] = DevicePlatform.Macos,
    };

    private static readonly Dictionary<string, DeviceOwnership> Ownerships = new(StringComparer.Ordinal)
    {
        ["company"] = DeviceOwnership.Company,
        ["personal"] = DeviceOwnership.Personal,
    };

    private static readonly Dictionary<string, EnforcementMode> EnforcementModes = new(StringComparer.Ordinal)
    {
        ["report"] = EnforcementMode.Report,
        ["enforce"] = EnforcementMode.Enforce,
    };

    private static readonly (string Name, ExemptionSubjectKind Kind)[] ExemptionSubjects =
        [("group", ExemptionSubjectKind.Group), ("user", ExemptionSubjectKind.User), ("device", ExemptionSubjectKind.Device)];

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = BanListLimits.MaxDepth };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = BanListLimits.MaxDepth };

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];
    private static ReadOnlySpan<byte> Utf16LittleEndianByteOrderMark => [0xFF, 0xFE];
    private static ReadOnlySpan<byte> Utf16BigEndianByteOrderMark => [0xFE, 0xFF];

    /// <summary>Parses and validates a v1 ban list. Never throws for bad input: every problem is an error with its JSON path.</summary>
    public static BanListParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        if (json.Length > BanListLimits.MaxDocumentSize)
        {
            return Rejected($"the ban list is {Count(json.Length)} characters; at most {Count(BanListLimits.MaxDocumentSize)} are read");
        }

        if (IndexOfLoneSurrogate(json) is var at and >= 0)
        {
            return Rejected($"the text contains an unpaired UTF-16 surrogate at character {Count(at + 1)}: it is not valid Unicode");
        }

        return ParseUtf8(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// Reads and parses a ban list file of at most <see cref="BanListLimits.MaxDocumentSize"/> bytes of UTF-8. A missing, unreadable,
    /// larger (a device such as /dev/zero, a pipe that never ends) or non-UTF-8 file is an error at <c>$</c>, not an exception.
    /// </summary>
    public static BanListParseResult ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        var shown = PlainText.Visible(path, 1_024);
        var content = new byte[BanListLimits.MaxDocumentSize + 1];
        int length;
        try
        {
            // No buffer of its own and no look at the length: devices and pipes report none, so read at most one byte past the limit.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            length = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : PlainText.Visible(ex.Message, 1_024);
            return Rejected($"cannot read the ban list file '{shown}': {reason}");
        }

        if (length > BanListLimits.MaxDocumentSize)
        {
            return Rejected($"the ban list file '{shown}' is larger than {Count(BanListLimits.MaxDocumentSize)} bytes, the most this tool reads");
        }

        var bytes = content.AsMemory(0, length);
        if (bytes.Span.StartsWith(Utf16LittleEndianByteOrderMark) || bytes.Span.StartsWith(Utf16BigEndianByteOrderMark))
        {
            return Rejected($"the ban list file '{shown}' is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8");
        }

        var skipped = bytes.Span.StartsWith(Utf8ByteOrderMark) ? Utf8ByteOrderMark.Length : 0;
        bytes = bytes[skipped..];
        if (IndexOfInvalidUtf8(bytes.Span) is var invalid and >= 0)
        {
            return Rejected($"the ban list file '{shown}' is not valid UTF-8 (byte {Count(skipped + invalid + 1)}): save it as UTF-8");
        }

        var result = ParseUtf8(bytes);
        return result.IsValid ? result with { Text = System.Text.Encoding.UTF8.GetString(bytes.Span) } : result;
    }

    private static BanListParseResult ParseUtf8(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Rejected(NotJsonMessage(ex));
        }

        using (parsed)
        {
            // Such a string throws when read as text: report each one and read none.
            var unpaired = UnpairedSurrogates.Find(utf8.Span, ReaderOptions);
            if (unpaired.Count > 0)
            {
                return new BanListParseResult(null, AtMostReportable(unpaired));
            }

            var errors = new List<BanListError>();
            var document = ReadDocument(parsed.RootElement, errors);
            return errors.Count == 0 && document is not null ? new BanListParseResult(document, []) : new BanListParseResult(null, AtMostReportable(errors));
        }
    }

    private static BanListParseResult Rejected(string message) => new(null, [new BanListError(JsonPaths.Root, message)]);

    private static IReadOnlyList<BanListError> AtMostReportable(List<BanListError> errors) =>
        errors.Count <= BanListLimits.MaxReportedErrors
            ? errors
            : [.. errors.Take(BanListLimits.MaxReportedErrors), new BanListError(JsonPaths.Root, $"{Count(errors.Count - BanListLimits.MaxReportedErrors)} more errors are not shown")];

    private static int IndexOfLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var at = 0;
        while (Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }

    private static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string NotJsonMessage(JsonException ex)
    {
        var detail = ex.Message;
        var positionText = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (positionText >= 0)
        {
            detail = detail[..positionText];
        }

        detail = PlainText.Visible(detail, 200);
        return ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $"the file is not valid JSON (line {line + 1}, position {position + 1}): {detail}"
            : $"the file is not valid JSON: {detail}";
    }

    private static BanListDocument? ReadDocument(JsonElement root, List<BanListError> errors)
    {
        if (JsonObjectReader.Open(root, JsonPaths.Root, errors, DocumentProperties) is not { } document)
        {
            return null;
        }

        var versionOk = ReadVersion(document);
        var contact = ReadContact(document);
        var bans = ReadBans(document, contact);
        var exemptions = ReadExemptions(document, bans.DeclaredIds);

        return versionOk && contact is not null && bans.Bans is { } validBans && exemptions is not null
            ? new BanListDocument(SupportedVersion, validBans, exemptions) { Contact = contact }
            : null;
    }

    private static bool ReadVersion(JsonObjectReader document)
    {
        if (document.Required("version") is not { } version)
        {
            return false;
        }

        if (version.ValueKind != JsonValueKind.Number)
        {
            document.AddError(document.PathOf("version"), $"expected a number, found {JsonObjectReader.Describe(version)}");
            return false;
        }

        if (!version.TryGetInt32(out var number) || number != SupportedVersion)
        {
            document.AddError(document.PathOf("version"), $"unsupported version {JsonPaths.Quoted(version.GetRawText())}: this tool reads ban lists of version {SupportedVersion}");
            return false;
        }

        return true;
    }

    /// <returns>
    /// The bans when all are valid, and every id the file declares (valid or not) so exemptions are checked against them;
    /// no ids when the bans could not be listed, so that exemptions are not all called unknown.
    /// </returns>
    private static (IReadOnlyList<Ban>? Bans, IReadOnlySet<string>? DeclaredIds) ReadBans(JsonObjectReader document, BanListContact? contact)
    {
        var firstPathOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RequiredNonEmptyArray("bans", BanListLimits.MaxBans) is not { } items)
        {
            return (null, null);
        }

        var bans = items.Select(item => ReadBan(item.Element, item.Path, document, firstPathOfId, contact)).ToList();
        return (bans.Contains(null) ? null : bans.OfType<Ban>().ToList(), firstPathOfId.Keys.ToHashSet(StringComparer.Ordinal));
    }

    private static Ban? ReadBan(
        JsonElement element, string path, JsonObjectReader document, Dictionary<string, string> firstPathOfId, BanListContact? contact)
    {
        if (document.OpenChild(element, path, BanProperties) is not { } ban)
        {
            return null;
        }

        var id = ReadUniqueId(ban, "ban", firstPathOfId);
        var name = ban.RequiredNonBlankString("name", BanListLimits.MaxNameLength);
        var reason = ban.OptionalString("reason", BanListLimits.MaxTextLength);
        var reference = ban.OptionalString("reference", BanListLimits.MaxTextLength);
        var apps = ban.RequiredObject("apps", AppsProperties) is { } appsReader ? ReadApps(appsReader) : null;
        var scope = ban.RequiredObject("scope", ScopeProperties) is { } scopeReader ? ReadScope(scopeReader) : null;
        var effectiveFrom = ban.RequiredDate("effectiveFrom");
        var uninstallBy = ban.RequiredDate("uninstallBy");
        var expiresOn = ban.RequiredDate("expiresOn");
        var enforcement = ban.Has("enforcement") ? ReadChoice(ban, "enforcement", EnforcementModes) : EnforcementMode.Report;
        var blastRadius = ban.Has("blastRadius") ? ReadBlastRadius(ban) : BlastRadius.Default;
        var notifications = ban.Has("notifications") ? ReadNotifications(ban) : BanNotifications.Default;

        if (uninstallBy is { } by && effectiveFrom is { } from && by < from)
        {
            ban.AddError(ban.PathOf("uninstallBy"), $"uninstallBy ({Show(by)}) is before effectiveFrom ({Show(from)})");
        }

        if (expiresOn is { } expires && uninstallBy is { } deadline && expires <= deadline)
        {
            ban.AddError(ban.PathOf("expiresOn"), $"expiresOn ({Show(expires)}) must be after uninstallBy ({Show(deadline)})");
        }

        // A null optional value is either absent or already reported; the document is only built without errors.
        if (id is null || name is null || apps is null || scope is null || effectiveFrom is null || uninstallBy is null || expiresOn is null
            || enforcement is null || blastRadius is null || notifications is null)
        {
            return null;
        }

        var read = new Ban(id, name, reason, reference, apps, scope, effectiveFrom.Value, uninstallBy.Value, expiresOn.Value, enforcement.Value, blastRadius)
        {
            Notifications = notifications,
        };

        // The texts are measured as users will read them, which takes the whole ban (its names, deadline, reason) and the contact.
        return contact is null || CheckNotificationTexts(ban, read, contact) ? read : null;
    }

    private static string Show(DateTimeOffset date) => date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static BlastRadius? ReadBlastRadius(JsonObjectReader ban)
    {
        if (ban.RequiredObject("blastRadius", BlastRadiusProperties) is not { } reader)
        {
            return null;
        }

        var maxDevices = ReadNumber(reader, "maxDevices", 0, 1_000_000, BlastRadius.Default.MaxDevices, wholeNumber: true);
        var maxPercent = ReadNumber(reader, "maxPercent", 0, 100, BlastRadius.Default.MaxPercent, wholeNumber: false);
        return maxDevices is not null && maxPercent is not null ? new BlastRadius((int)maxDevices.Value, maxPercent.Value) : null;
    }

    private static double? ReadNumber(JsonObjectReader reader, string name, double min, double max, double fallback, bool wholeNumber)
    {
        if (reader.Optional(name) is not { } value)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max
            || (wholeNumber && number != Math.Floor(number)))
        {
            reader.AddError(reader.PathOf(name), wholeNumber ? $"must be a whole number from {min} to {max}" : $"must be a number from {min} to {max}");
            return null;
        }

        return number;
    }

    private static BanApps? ReadApps(JsonObjectReader apps)
    {
        var displayNames = apps.RequiredNonEmptyStrings("displayNames", BanListLimits.MaxDisplayNames, BanListLimits.MaxDisplayNameLength);
        var ios = Identifiers(apps, "ios");
        var android = Identifiers(apps, "android");
        var windows = Identifiers(apps, "windows");
        var macos = Identifiers(apps, "macos");

        return displayNames is not null && ios is not null && android is not null && windows is not null && macos is not null
            ? new BanApps(displayNames, ios, android, windows, macos)
            : null;
    }

    private static IReadOnlyList<string>? Identifiers(JsonObjectReader apps, string platform) =>
        apps.OptionalStrings(platform, BanListLimits.MaxIdentifiersPerPlatform, BanListLimits.MaxIdentifierLength);

    private static BanScope? ReadScope(JsonObjectReader scope)
    {
        var includeGroups = scope.OptionalGuids("includeGroups", BanListLimits.MaxGroupsPerList);
        var excludeGroups = scope.OptionalGuids("excludeGroups", BanListLimits.MaxGroupsPerList);
        var advisoryGroups = scope.OptionalGuids("advisoryGroups", BanListLimits.MaxGroupsPerList);
        var ownership = ReadChoices(scope, "ownership", Ownerships);
        var platforms = ReadChoices(scope, "platforms", Platforms);

        return includeGroups is not null && excludeGroups is not null && advisoryGroups is not null && ownership is not null && platforms is not null
            ? new BanScope(includeGroups, excludeGroups, ownership, platforms) { AdvisoryGroups = advisoryGroups }
            : null;
    }

    private static IReadOnlyList<Exemption>? ReadExemptions(JsonObjectReader document, IReadOnlySet<string>? declaredBanIds)
    {
        if (document.OptionalArray("exemptions", BanListLimits.MaxExemptions) is not { } items)
        {
            return null;
        }

        var firstPathOfId = new Dictionary<string, string>(StringComparer.Ordinal);
        var exemptions = items.Select(item => ReadExemption(item.Element, item.Path, document, declaredBanIds, firstPathOfId)).ToList();
        return exemptions.Contains(null) ? null : exemptions.OfType<Exemption>().ToList();
    }

    private static Exemption? ReadExemption(
        JsonElement element, string path, JsonObjectReader document, IReadOnlySet<string>? declaredBanIds, Dictionary<string, string> firstPathOfId)
    {
        if (document.OpenChild(element, path, ExemptionProperties) is not { } exemption)
        {
            return null;
        }

        var id = ReadUniqueId(exemption, "exemption", firstPathOfId);
        var banId = exemption.RequiredNonBlankString("ban");
        if (banId is not null && declaredBanIds is not null && !declaredBanIds.Contains(banId))
        {
            exemption.AddError(exemption.PathOf("ban"), $"unknown ban '{JsonPaths.Quoted(banId)}': no ban in this file has that id");
            banId = null;
        }

        var subject = ReadExemptionSubject(exemption);
        var justification = exemption.RequiredNonBlankString("justification", BanListLimits.MaxTextLength);
        var approvedBy = exemption.RequiredNonBlankString("approvedBy", BanListLimits.MaxApprovedByLength);
        var expiresOn = exemption.OptionalDate("expiresOn");

        return id is not null && banId is not null && subject is not null && justification is not null && approvedBy is not null
            ? new Exemption(id, banId, subject, justification, approvedBy, expiresOn)
            : null;
    }

    private static ExemptionSubject? ReadExemptionSubject(JsonObjectReader exemption)
    {
        var named = ExemptionSubjects.Where(s => exemption.Has(s.Name)).ToList();
        if (named.Count != 1)
        {
            var found = named.Count == 0 ? "none" : string.Join(" and ", named.Select(s => $"'{s.Name}'"));
            exemption.AddError(exemption.Path, $"an exemption names exactly one of 'group', 'user' or 'device'; found {found}");
            return null;
        }

        var (name, kind) = named[0];
        return exemption.Guid(exemption.Optional(name)!.Value, exemption.PathOf(name)) is { } id ? new ExemptionSubject(kind, id) : null;
    }

    private static string? ReadUniqueId(JsonObjectReader reader, string what, Dictionary<string, string> firstPathOfId)
    {
        if (reader.RequiredNonBlankString("id") is not { } id)
        {
            return null;
        }

        var path = reader.PathOf("id");
        if (firstPathOfId.TryGetValue(id, out var firstPath))
        {
            reader.AddError(path, $"duplicate {what} id '{JsonPaths.Quoted(id)}' (already used at {firstPath})");
            return null;
        }

        firstPathOfId.Add(id, path);
        if (id.Length > BanListLimits.MaxIdLength || !IdShape().IsMatch(id))
        {
            reader.AddError(path, $"{what} id '{JsonPaths.Quoted(id)}' must be 1 to {BanListLimits.MaxIdLength} characters of lowercase letters, digits, '.', '_' or '-'");
            return null;
        }

        return id;
    }

    private static T? ReadChoice<T>(JsonObjectReader reader, string name, IReadOnlyDictionary<string, T> allowed)
        where T : struct, Enum =>
        reader.Optional(name) is { } value ? Choice(reader, value, reader.PathOf(name), name, allowed) : null;

    private static IReadOnlySet<T>? ReadChoices<T>(JsonObjectReader reader, string name, IReadOnlyDictionary<string, T> allowed)
        where T : struct, Enum
    {
        if (reader.RequiredNonEmptyArray(name) is not { } items)
        {
            return null;
        }

        var values = items.Select(item => Choice(reader, item.Element, item.Path, name, allowed)).ToList();
        return values.Contains(null) ? null : values.OfType<T>().ToHashSet();
    }

    private static T? Choice<T>(JsonObjectReader reader, JsonElement element, string path, string name, IReadOnlyDictionary<string, T> allowed)
        where T : struct, Enum
    {
        if (reader.String(element, path) is not { } text)
        {
            return null;
        }

        if (allowed.TryGetValue(text, out var value))
        {
            return value;
        }

        var hint = allowed.Keys.FirstOrDefault(key => string.Equals(key, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } intended
            ? $" (values are lowercase: did you mean '{intended}'?)"
            : "";
        reader.AddError(path, $"'{JsonPaths.Quoted(text)}' is not allowed in {name}; use one of: {string.Join(", ", allowed.Keys)}{hint}");
        return null;
    }

    // Ids become Table Storage key parts, so they stay within a conservative character set (and BanListLimits.MaxIdLength).
    [GeneratedRegex("^[a-z0-9._-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdShape();
}
