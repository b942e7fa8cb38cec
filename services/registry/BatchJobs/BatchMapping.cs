using System.Globalization;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;

namespace Orbit.Registry.BatchJobs;

/// <summary>A model input as a batch job fills it: its name, OIP datatype and the shape of one row (the batch dimension left out).</summary>
internal sealed record BatchInput(string Name, string Datatype, long[] RowShape)
{
    public int ElementsPerRow => (int)RowShape.Aggregate(1L, (a, b) => a * b);

    public int RowBytes => ElementsPerRow * ElementCodec.Size(Datatype);
}

/// <summary>
/// How input rows become model inputs. Tabular inputs (CSV, Parquet): <see cref="Columns"/>, in order, fill the
/// model's one input row by row; <see cref="Keep"/> columns are copied to the output. JSONL lines carry the
/// inputs themselves (OIP tensors), and <see cref="Keep"/> names top-level fields of each line.
/// </summary>
internal sealed record BatchMapping(IReadOnlyList<BatchInput> Inputs, IReadOnlyList<string> Columns, IReadOnlyList<string> Keep)
{
    public sealed record Problem(string Field, string Detail);

    /// <summary>
    /// The mapping for <paramref name="format"/> and a version: feature columns are <paramref name="columns"/> when given,
    /// else the features of the version's metadata (role <c>feature</c>, or none), in their order.
    /// </summary>
    public static (BatchMapping? Mapping, Problem? Problem) Resolve(string format, VersionView version, IReadOnlyList<string>? columns, IReadOnlyList<string> keep)
    {
        var inputs = new List<BatchInput>();
        foreach (var tensor in version.Signature.Inputs)
        {
            var datatype = OipDatatypes.FromOnnxName(tensor.Datatype);
            if (!ElementCodec.IsSupported(datatype))
            {
                return (null, new("model", $"input '{tensor.Name}' of version {version.Version} is {datatype}; batch jobs take {ElementCodec.SupportedList}"));
            }

            if (tensor.Shape.Count == 0 || long.TryParse(tensor.Shape[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var first) && first > 0)
            {
                return (null, new("model", $"input '{tensor.Name}' of version {version.Version} has no batch dimension (shape [{string.Join(", ", tensor.Shape)}]); batch jobs run many rows at once"));
            }

            var row = new long[tensor.Shape.Count - 1];
            for (var i = 1; i < tensor.Shape.Count; i++)
            {
                if (!long.TryParse(tensor.Shape[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out row[i - 1]) || row[i - 1] < 1)
                {
                    return (null, new("model", $"input '{tensor.Name}' of version {version.Version} has a dimension '{tensor.Shape[i]}' besides the batch one; batch jobs need a fixed row shape"));
                }
            }

            inputs.Add(new BatchInput(tensor.Name, datatype, row));
        }

        if (format == BatchFormat.Jsonl)
        {
            return columns is { Count: > 0 }
                ? (null, new("columns", "JSONL lines carry the model's inputs themselves (OIP tensors); 'columns' applies to csv and parquet"))
                : (new BatchMapping(inputs, [], keep), null);
        }

        if (inputs.Count != 1)
        {
            return (null, new("format", $"version {version.Version} has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a {format} file fills one input, so send JSONL lines with each input as an OIP tensor"));
        }

        var features = columns is { Count: > 0 } ? columns : FeaturesOf(version.Metadata);
        if (features.Count == 0)
        {
            return (null, new("columns", $"version {version.Version} of '{version.Model}' lists no features in its metadata: name the input columns in order with 'columns' (e.g. columns=a,b,c)"));
        }

        var duplicate = features.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return (null, new("columns", $"column '{duplicate.Key}' is mapped twice"));
        }

        if (features.Count != inputs[0].ElementsPerRow)
        {
            return (null, new("columns", $"the model's input '{inputs[0].Name}' takes {inputs[0].ElementsPerRow} values per row, but {features.Count} columns are mapped ({string.Join(", ", features)})"));
        }

        return (new BatchMapping(inputs, features, keep), null);
    }

    /// <summary>A tabular input's header against the mapping: the first mapped or kept column it lacks, or null.</summary>
    public Problem? CheckHeader(IReadOnlyList<string> header)
    {
        var present = header.ToHashSet(StringComparer.Ordinal);
        if (Columns.FirstOrDefault(c => !present.Contains(c)) is { } column)
        {
            return new("columns", $"column '{column}' (a model feature) is not in the input; its columns are: {string.Join(", ", header.Take(50))}");
        }

        return Keep.FirstOrDefault(c => !present.Contains(c)) is { } kept
            ? new("keep", $"column '{kept}' is not in the input; its columns are: {string.Join(", ", header.Take(50))}")
            : null;
    }

    /// <summary>The names of the metadata's features whose role is <c>feature</c> (the default), in order.</summary>
    public static IReadOnlyList<string> FeaturesOf(JsonElement metadata)
    {
        if (metadata.ValueKind != JsonValueKind.Object || !metadata.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return features.EnumerateArray()
            .Where(f => f.ValueKind == JsonValueKind.Object
                && (!f.TryGetProperty("role", out var role) || role.ValueKind == JsonValueKind.Null || role.GetString() == "feature"))
            .Select(f => f.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "")
            .Where(n => n.Length > 0)
            .ToList();
    }
}
