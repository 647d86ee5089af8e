namespace IntuneBanSync.Journal;

/// <summary>How an enum is written where a string must stand (a table column, a report key): its name in kebab case, "out-of-scope".</summary>
public static class WireName
{
    public static string Of(Enum value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
