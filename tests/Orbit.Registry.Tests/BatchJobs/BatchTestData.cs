using System.Text.Json;
using Orbit.Contracts.Registry;
using Orbit.Registry.BatchJobs;

namespace Orbit.Registry.Tests.BatchJobs;

internal static class BatchTestData
{
    public static VersionView Version(string metadataJson, params SignatureTensor[] inputs) => new(
        "m", 1, "sha256:" + new string('a', 64), 1, "active", null, [], JsonDocument.Parse(metadataJson).RootElement.Clone(),
        new ModelSignature(inputs, [new SignatureTensor("y", "float", ["batch", "2"])], "cpu"), DateTimeOffset.UnixEpoch, "key:test");

    public static SignatureTensor Input(string name, params string[] shape) => new(name, "float", shape);

    public const string ThreeFeatures = """{"features": [{"name": "a", "type": "numeric"}, {"name": "id", "type": "categorical", "role": "identifier"}, {"name": "b", "type": "numeric", "role": "feature"}, {"name": "c", "type": "numeric"}]}""";

    /// <summary>A mapping of columns a, b, c into input x[batch,3] (FP32), keeping <paramref name="keep"/>.</summary>
    public static BatchMapping Abc(params string[] keep) =>
        BatchMapping.Resolve(BatchFormat.Csv, Version(ThreeFeatures, Input("x", "batch", "3")), null, keep).Mapping!;

    public static BatchJobRow Job(string id, string format, BatchMapping mapping, int chunkSize) => new()
    {
        Id = id,
        TenantId = "t",
        ModelName = "m",
        ModelVersion = 1,
        Digest = "sha256:" + new string('a', 64),
        State = BatchJobStates.Preparing,
        InputFormat = format,
        OutputFormat = format,
        ChunkSize = chunkSize,
        ColumnsJson = JsonSerializer.Serialize(mapping.Columns, BatchJobRow.Json),
        KeepJson = JsonSerializer.Serialize(mapping.Keep, BatchJobRow.Json),
        InputsJson = JsonSerializer.Serialize(mapping.Inputs, BatchJobRow.Json),
        MaxErrorRatio = 0.01,
        CreatedAtMs = 1,
        CreatedBy = "key:test",
    };

    /// <summary>A CSV job (chunks of 10) of a model of its own, its input written where the registry reads it; not yet created in the store.</summary>
    public static async Task<BatchJobRow> CsvJobAsync(BatchFiles files, string modelPrefix, BatchMapping mapping, string csv)
    {
        var job = Job(BatchFiles.NewJobId(), BatchFormat.Csv, mapping, 10);
        job.ModelName = modelPrefix + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(files.Job(job.Id));
        await File.WriteAllTextAsync(files.Input(job.Id), csv);
        return job;
    }

    public static float[] Floats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
