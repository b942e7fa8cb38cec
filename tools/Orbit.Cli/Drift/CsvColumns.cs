using System.Globalization;
using System.Text;

namespace Orbit.Cli.Drift;

/// <summary>
/// The columns of one CSV file (comma-separated, a header row, RFC 4180 quotes) as <c>drift compare</c> needs them:
/// a column stays numeric while every non-missing cell parses as a number (invariant culture) and keeps its values;
/// a column that is not numeric keeps its category counts, read in a second pass only when it is needed. Missing cells:
/// empty, <c>NA</c>, <c>NaN</c>, <c>nan</c>, <c>null</c>, <c>None</c>.
/// </summary>
internal sealed class CsvColumns
{
    private static readonly HashSet<string> MissingTokens = new(["", "NA", "NaN", "nan", "null", "NULL", "None"], StringComparer.Ordinal);

    private CsvColumns(string path, string[] names)
    {
        Path = path;
        Names = names;
        Numbers = names.Select(_ => new List<double>()).ToArray();
        Missing = new long[names.Length];
        IsNumeric = names.Select(_ => true).ToArray();
    }

    public string Path { get; }

    public string[] Names { get; }

    public long Rows { get; private set; }

    public List<double>[] Numbers { get; }

    public long[] Missing { get; }

    public bool[] IsNumeric { get; }

    public Dictionary<string, double>?[] Categories { get; private set; } = [];

    public int IndexOf(string name) => Array.IndexOf(Names, name);

    public static CsvColumns Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, true, 1 << 16);
        var cells = new List<string>();
        if (!ReadRecord(reader, cells))
        {
            throw new InvalidDataException($"{path} is empty: a header row is needed");
        }

        var names = cells.Select(c => c.Trim()).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length || names.Any(n => n.Length == 0))
        {
            throw new InvalidDataException($"{path}: the header's column names must be non-empty and distinct");
        }

        var columns = new CsvColumns(path, names);
        while (ReadRecord(reader, cells))
        {
            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue;
            }

            columns.Rows++;
            if (cells.Count > names.Length)
            {
                throw new InvalidDataException($"{path}: row {columns.Rows} has {cells.Count} cells, the header {names.Length}");
            }

            for (var i = 0; i < names.Length; i++)
            {
                var cell = i < cells.Count ? cells[i].Trim() : "";
                if (MissingTokens.Contains(cell))
                {
                    columns.Missing[i]++;
                }
                else if (columns.IsNumeric[i])
                {
                    if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
                    {
                        columns.Numbers[i].Add(value);
                    }
                    else
                    {
                        columns.IsNumeric[i] = false;
                        columns.Numbers[i] = [];
                    }
                }
            }
        }

        return columns;
    }

    /// <summary>Counts the categories of the columns named in <paramref name="categorical"/> (a second pass over the file).</summary>
    public void CountCategories(IReadOnlySet<string> categorical)
    {
        var wanted = Names.Select(categorical.Contains).ToArray();
        Categories = Names.Select(n => categorical.Contains(n) ? new Dictionary<string, double>(StringComparer.Ordinal) : null).ToArray();
        var missing = new long[Names.Length];
        using var reader = new StreamReader(Path, Encoding.UTF8, true, 1 << 16);
        var cells = new List<string>();
        ReadRecord(reader, cells);
        while (ReadRecord(reader, cells))
        {
            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue;
            }

            for (var i = 0; i < Names.Length; i++)
            {
                if (!wanted[i])
                {
                    continue;
                }

                var cell = i < cells.Count ? cells[i].Trim() : "";
                if (MissingTokens.Contains(cell))
                {
                    missing[i]++;
                }
                else
                {
                    var counts = Categories[i]!;
                    counts[cell] = counts.GetValueOrDefault(cell) + 1;
                }
            }
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (wanted[i])
            {
                Missing[i] = missing[i];
            }
        }
    }

    /// <summary>Reads one record into <paramref name="cells"/>; false at the end of the file.</summary>
    private static bool ReadRecord(StreamReader reader, List<string> cells)
    {
        cells.Clear();
        var line = reader.ReadLine();
        if (line is null)
        {
            return false;
        }

        if (!line.Contains('"'))
        {
            var start = 0;
            while (true)
            {
                var comma = line.IndexOf(',', start);
                if (comma < 0)
                {
                    cells.Add(line[start..]);
                    return true;
                }

                cells.Add(line[start..comma]);
                start = comma + 1;
            }
        }

        var cell = new StringBuilder();
        var quoted = false;
        while (true)
        {
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        cell.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    cells.Add(cell.ToString());
                    cell.Clear();
                }
                else
                {
                    cell.Append(c);
                }
            }

            if (!quoted)
            {
                cells.Add(cell.ToString());
                return true;
            }

            // A quoted cell that spans lines.
            line = reader.ReadLine();
            if (line is null)
            {
                cells.Add(cell.ToString());
                return true;
            }

            cell.Append('\n');
        }
    }
}
