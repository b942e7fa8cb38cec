using System.Text;

namespace Orbit.Registry.BatchJobs;

/// <summary>RFC 4180 fields of one line (quotes, doubled quotes inside them), and the quoting to write one.</summary>
internal static class CsvLine
{
    /// <summary>Splits <paramref name="line"/> into <paramref name="fields"/>; false when a quoted field is not closed on the line.</summary>
    public static bool TrySplit(string line, List<string> fields)
    {
        fields.Clear();
        var i = 0;
        var field = new StringBuilder();
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return false;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                // Text after a closing quote and before the next comma is kept as written.
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0)
                {
                    end = line.Length;
                }

                field.Append(line, i, end - i);
                i = end;
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return true;
            }

            i++; // the comma
        }
    }

    /// <summary>A field as CSV: quoted when it holds a comma, quote, or line break.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
