using System.Text;
using System.Text.Json;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// A JSONL file: each line is one row, an object whose <c>inputs</c> are OIP tensors
/// (<c>{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 8], "data": [...]}], "id": 7}</c>) or the
/// array of tensors itself. Kept columns are top-level fields of the object.
/// </summary>
internal sealed class JsonlRowSource(StreamReader reader, BatchMapping mapping) : IRowSource
{
    private long _line;

    public static JsonlRowSource Open(string path, BatchMapping mapping) =>
        new(new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 }), mapping);

    public async ValueTask<RowRead?> NextAsync(ChunkBuilder builder, CancellationToken cancellationToken)
    {
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken);
            _line++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));

        if (line is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var error = Read(document.RootElement, builder, out var kept);
            return new RowRead(_line, error, kept);
        }
        catch (JsonException ex)
        {
            return new RowRead(_line, "not valid JSON: " + ex.Message.Split(" Path:")[0], null);
        }
    }

    private string? Read(JsonElement root, ChunkBuilder builder, out string?[]? kept)
    {
        kept = null;
        JsonElement tensors;
        if (root.ValueKind == JsonValueKind.Array)
        {
            tensors = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("inputs", out tensors) && tensors.ValueKind == JsonValueKind.Array)
        {
        }
        else
        {
            return "a line must be an object with an 'inputs' array of OIP tensors, or that array";
        }

        var filled = new bool[mapping.Inputs.Count];
        foreach (var tensor in tensors.EnumerateArray())
        {
            if (tensor.ValueKind != JsonValueKind.Object)
            {
                return "every input must be an object (name, datatype, shape, data)";
            }

            var name = tensor.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            var index = IndexOf(name, tensors.GetArrayLength());
            if (index < 0)
            {
                return $"input '{name}' is not an input of the model ({string.Join(", ", mapping.Inputs.Select(i => i.Name))})";
            }

            var input = mapping.Inputs[index];
            if (tensor.TryGetProperty("datatype", out var datatype) && datatype.ValueKind == JsonValueKind.String && datatype.GetString() != input.Datatype)
            {
                return $"input '{input.Name}' is {datatype.GetString()}; the model takes {input.Datatype}";
            }

            if (!tensor.TryGetProperty("data", out var data))
            {
                return $"input '{input.Name}' has no 'data'";
            }

            var row = builder.Row(index);
            var size = ElementCodec.Size(input.Datatype);
            var count = 0;
            var error = Flatten(data, input, row, size, ref count);
            if (error is not null)
            {
                return error;
            }

            if (count != input.ElementsPerRow)
            {
                return $"input '{input.Name}' has {count} values; the model takes {input.ElementsPerRow} per row";
            }

            filled[index] = true;
        }

        var missing = mapping.Inputs.Where((_, i) => !filled[i]).Select(i => i.Name).FirstOrDefault();
        if (missing is not null)
        {
            return $"input '{missing}' is missing";
        }

        kept = mapping.Keep.Select(k => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(k, out var value) ? Text(value) : null).ToArray();
        return null;
    }

    private int IndexOf(string name, int given)
    {
        for (var i = 0; i < mapping.Inputs.Count; i++)
        {
            if (mapping.Inputs[i].Name == name)
            {
                return i;
            }
        }

        // One tensor for a one-input model fills it, whatever its name.
        return mapping.Inputs.Count == 1 && given == 1 ? 0 : -1;
    }

    private static string? Flatten(JsonElement data, BatchInput input, Span<byte> row, int size, ref int count)
    {
        if (data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                if (Flatten(item, input, row, size, ref count) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        if (count >= input.ElementsPerRow)
        {
            count++;
            return null;
        }

        if (!ElementCodec.TryWrite(input.Datatype, data, row.Slice(count * size, size)))
        {
            return $"input '{input.Name}': {CsvRowSource.Shorten(data.GetRawText())} is not a {input.Datatype} value";
        }

        count++;
        return null;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => value.GetRawText(),
    };

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
