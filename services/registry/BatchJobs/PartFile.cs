using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Inference;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// A completed chunk's rows: input row index, kept values, and output columns. Written once per chunk under a
/// name of its own, so a chunk answered twice overwrites its own part and never adds rows.
/// </summary>
internal sealed record PartFile(long[] Rows, string?[][] Kept, IReadOnlyList<OutputColumn> Columns)
{
    /// <summary>The part of <paramref name="chunk"/> from the model's outputs, or why they do not fit its rows.</summary>
    public static (PartFile? Part, string? Error) From(StagedChunk chunk, IReadOnlyList<InferenceTensor> outputs)
    {
        var rows = chunk.Rows.Length;
        var columns = new List<OutputColumn>();
        foreach (var output in outputs)
        {
            if (output.Shape.Length == 0 || output.Shape[0] != rows)
            {
                return (null, $"output '{output.Name}' has shape [{string.Join(", ", output.Shape)}]; a chunk of {rows} rows needs {rows} along its first dimension");
            }

            var perRow = (int)output.Shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var (raw, values, numeric, error) = Elements(output, (long)rows * perRow);
            if (error is not null)
            {
                return (null, error);
            }

            for (var j = 0; j < perRow; j++)
            {
                var name = perRow == 1 ? output.Name : $"{output.Name}_{j}";
                if (raw is not null)
                {
                    columns.Add(new OutputColumn(name, raw, j, perRow, rows));
                    continue;
                }

                var column = new string[rows];
                for (var r = 0; r < rows; r++)
                {
                    column[r] = values![r * perRow + j];
                }

                columns.Add(new OutputColumn(name, numeric, column));
            }
        }

        return (new PartFile(chunk.Rows, chunk.Kept, columns), null);
    }

    /// <summary>
    /// A tensor's elements: numbers and BOOL as the model sent them (formatted once, straight into the output), strings
    /// (BYTES) and JSON <c>data</c> as text.
    /// </summary>
    private static (RawElements? Raw, string[]? Values, bool Numeric, string? Error) Elements(InferenceTensor tensor, long count)
    {
        if (tensor.RawData is { } raw)
        {
            if (tensor.Datatype == "BYTES")
            {
                var strings = new List<string>();
                var offset = 0;
                while (offset + 4 <= raw.Length)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(offset));
                    strings.Add(Encoding.UTF8.GetString(raw, offset + 4, length));
                    offset += 4 + length;
                }

                return strings.Count == count ? (null, [.. strings], false, null) : (null, null, false, $"output '{tensor.Name}' has {strings.Count} strings; expected {count}");
            }

            if (RawElements.For(tensor.Datatype, raw) is not { } elements)
            {
                return (null, null, false, $"output '{tensor.Name}' is {tensor.Datatype}, which a batch output cannot hold");
            }

            var size = ElementCodec.Size(tensor.Datatype);
            if (raw.Length != count * size)
            {
                return (null, null, false, $"output '{tensor.Name}' has {raw.Length} bytes; expected {count * size}");
            }

            return (elements, null, tensor.Datatype != "BOOL", null);
        }

        if (tensor.Data is { } data)
        {
            var values = new List<string>();
            Flatten(data, values);
            var numeric = values.Count > 0 && tensor.Datatype is not ("BYTES" or "BOOL");
            return values.Count == count ? (null, [.. values], numeric, null) : (null, null, false, $"output '{tensor.Name}' has {values.Count} values; expected {count}");
        }

        return (null, null, false, $"output '{tensor.Name}' has no data");
    }

    private static void Flatten(JsonElement element, List<string> values)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Flatten(item, values);
            }
        }
        else
        {
            values.Add(element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText());
        }
    }
}
