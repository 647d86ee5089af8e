using System.Text;

namespace IntuneBanSync.Inventory;

/// <summary>
/// RFC 4180 records read one at a time from a stream: fields separated by commas, quoted fields holding commas, line breaks and
/// doubled quotes, records ending in CRLF or LF, a UTF-8 byte order mark ignored. Only the current record is held.
/// </summary>
internal sealed class CsvRows(TextReader reader)
{
    /// <summary>A field longer than this is not an app name or an id: the file is not what we asked for.</summary>
    public const int MaxFieldLength = 64 * 1024;

    private readonly char[] _buffer = new char[16 * 1024];
    private int _position;
    private int _length;
    private bool _started;

    /// <summary>The next record's fields, or null at the end of the stream.</summary>
    public async ValueTask<IReadOnlyList<string>?> ReadAsync(CancellationToken ct)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        while (true)
        {
            if (_position == _length && !await FillAsync(ct))
            {
                if (quoted)
                    throw new InvalidDataException("the CSV ends inside a quoted field");
                if (!any)
                    return null;
                fields.Add(field.ToString());
                return fields;
            }

            var c = _buffer[_position++];
            if (!_started)
            {
                _started = true;
                if (c == '\uFEFF')
                    continue;
            }

            any = true;
            if (quoted)
            {
                if (c != '"')
                {
                    Append(field, c);
                }
                else if (await PeekAsync(ct) == '"')
                {
                    _position++;
                    Append(field, '"');
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when await PeekAsync(ct) == '\n':
                    break;
                case '\n' or '\r':
                    fields.Add(field.ToString());
                    return fields;
                default:
                    Append(field, c);
                    break;
            }
        }
    }

    private static void Append(StringBuilder field, char c)
    {
        if (field.Length >= MaxFieldLength)
            throw new InvalidDataException($"a CSV field is longer than {MaxFieldLength} characters");
        field.Append(c);
    }

    private async ValueTask<char?> PeekAsync(CancellationToken ct) =>
        _position < _length || await FillAsync(ct) ? _buffer[_position] : null;

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        _length = await reader.ReadAsync(_buffer.AsMemory(), ct);
        _position = 0;
        return _length > 0;
    }
}
