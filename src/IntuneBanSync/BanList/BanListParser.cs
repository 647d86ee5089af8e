namespace IntuneBanSync.BanList;

public static class BanListParser
{
    /// <summary>Parses and validates a v1 ban list. Never throws for bad input: every problem is an error with its JSON path.</summary>
    public static BanListParseResult Parse(string json) => throw new NotImplementedException();
}
