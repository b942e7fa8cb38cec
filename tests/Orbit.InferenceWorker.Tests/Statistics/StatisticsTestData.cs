using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Registry;
using Orbit.InferenceWorker.Statistics;

namespace Orbit.InferenceWorker.Tests.Statistics;

internal static class StatisticsTestData
{
    public static SignatureTensor Tensor(string name, string datatype, params string[] shape) => new(name, datatype, shape);

    public static ModelSignature Signature(SignatureTensor[] inputs, params SignatureTensor[] outputs) => new(inputs, outputs, "cpu");

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static InferenceTensor Floats(string name, long[] shape, params float[] values) =>
        new(name, "FP32", shape, RawData: MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static ServedRequest Served(InferenceTensor[] inputs, InferenceTensor[] outputs, IReadOnlyDictionary<string, string>? parameters = null) =>
        new(new InferenceRequested("r-1", "acme", "churn", 3, inputs, DateTimeOffset.UnixEpoch, Parameters: parameters), 3, outputs,
            new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
}
