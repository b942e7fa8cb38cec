using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>An image-sized conv net, x[batch,3,224,224] → Conv 8 3×3 stride 2 → Relu → GlobalAveragePool → Flatten → Gemm 10, written with Orbit's own model writer.</summary>
internal static class ImageConv
{
    public static readonly long[] Shape = [1, 3, 224, 224];
    public const int Outputs = 10;

    public static string Write(string directory)
    {
        var random = new Random(224);
        var bytes = new ModelBuilder { GraphName = "conv224" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 3, 224, 224)
            .AddInitializer(TensorProto.FromSpan<float>("w1", Weights(random, 8 * 3 * 9), 8, 3, 3, 3))
            .AddInitializer(TensorProto.FromSpan<float>("b1", Weights(random, 8), 8))
            .AddInitializer(TensorProto.FromSpan<float>("w2", Weights(random, 8 * Outputs), 8, Outputs))
            .AddInitializer(TensorProto.FromSpan<float>("b2", Weights(random, Outputs), Outputs))
            .AddNode("Conv", ["x", "w1", "b1"], ["c"], NodeAttribute.Ints("pads", 1, 1, 1, 1), NodeAttribute.Ints("kernel_shape", 3, 3), NodeAttribute.Ints("strides", 2, 2))
            .AddNode("Relu", ["c"], ["r"])
            .AddNode("GlobalAveragePool", ["r"], ["p"])
            .AddNode("Flatten", ["p"], ["f"])
            .AddNode("Gemm", ["f", "w2", "b2"], ["y"])
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), Outputs)
            .ToBytes();
        var path = Path.Combine(directory, "conv224.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>What ONNX Runtime says for one image, run in this process through Orbit.Onnx.</summary>
    public static float[] RunDirect(string path, float[] image)
    {
        using var session = OnnxSession.FromFile(path);
        using var input = OnnxTensor.FromArray(image, Shape);
        using var result = session.Run(input);
        return result[0].AsSpan<float>().ToArray();
    }

    public static float[] RandomImage(Random random) =>
        Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)random.NextDouble()).ToArray();

    private static float[] Weights(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
}
