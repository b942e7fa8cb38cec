using System.Text.Json.Serialization;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// One output column of a part: <c>{output}</c>, or <c>{output}_{j}</c> for the j-th of several values per row. A
/// column of numbers or BOOL keeps the model's bytes (<see cref="Raw"/>), which a CSV or JSONL output formats once,
/// straight into its buffer; its <see cref="Values"/> as text are made only where a part is kept as JSON (Parquet).
/// </summary>
internal sealed class OutputColumn
{
    private readonly int _first;
    private readonly int _stride;
    private readonly int _rows;
    private string[]? _values;

    [JsonConstructor]
    public OutputColumn(string name, bool numeric, string[] values)
    {
        Name = name;
        Numeric = numeric;
        _values = values;
        _rows = values.Length;
    }

    /// <summary>Value <c>j</c> of each of <paramref name="rows"/> rows of <paramref name="stride"/> values in <paramref name="raw"/>.</summary>
    public OutputColumn(string name, RawElements raw, int j, int stride, int rows)
    {
        Name = name;
        Numeric = raw.Datatype != "BOOL";
        Raw = raw;
        _first = j;
        _stride = stride;
        _rows = rows;
    }

    public string Name { get; }

    public bool Numeric { get; }

    /// <summary>Each row's value as text: the same text <see cref="Raw"/> formats to.</summary>
    public string[] Values => _values ??= Format();

    /// <summary>The model's elements this column is read from, or null for a column of text (BYTES, JSON <c>data</c>, a part read back from JSON).</summary>
    [JsonIgnore]
    public RawElements? Raw { get; }

    /// <summary>The index in <see cref="Raw"/> of row <paramref name="row"/>'s value.</summary>
    public int Element(int row) => row * _stride + _first;

    private string[] Format()
    {
        var values = new string[_rows];
        for (var r = 0; r < values.Length; r++)
        {
            values[r] = Raw!.Format(Element(r));
        }

        return values;
    }
}
