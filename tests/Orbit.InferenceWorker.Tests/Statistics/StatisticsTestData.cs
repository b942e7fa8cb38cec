using System.Runtime.InteropServices;
using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Registry;
using Orbit.InferenceWorker.Statistics;
using Orbit.InferenceWorker.Tensors;

namespace Orbit.InferenceWorker.Tests.Statistics;

internal static class StatisticsTestData
{
    public static SignatureTensor Tensor(string name, string datatype, params string[] shape) => new(name, datatype, shape);

    public static ModelSignature Signature(SignatureTensor[] inputs, params SignatureTensor[] outputs) => new(inputs, outputs, "cpu");

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static InferenceTensor Floats(string name, long[] shape, params float[] values) =>
        new(name, "FP32", shape, RawData: MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>A served request whose inputs were decoded by the worker's own decoder, as the worker hands them to the statistics.</summary>
    public static ServedRequest Served(InferenceTensor[] inputs, InferenceTensor[] outputs, IReadOnlyDictionary<string, string>? parameters = null) =>
        new(new InferenceRequested("r-1", "acme", "churn", 3, inputs, DateTimeOffset.UnixEpoch, Parameters: parameters), 3,
            [.. inputs.Select(Decoded)], outputs, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));

    public static DecodedTensor Decoded(InferenceTensor tensor, int index)
    {
        Assert.True(OipElementTypes.TryParse(tensor.Datatype, out var type), tensor.Datatype);
        var decoded = TensorDecoder.Decode(tensor, type, index, out var error);
        Assert.Null(error);
        return decoded!;
    }
}
