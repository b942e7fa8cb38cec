using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.EndToEnd.Tests.Inference;

/// <summary>A small tabular MLP, x[batch,8] → 16 → y[batch,3], written with Orbit's own model writer.</summary>
internal static class Mlp
{
    public const int Features = 8;
    public const int Outputs = 3;

    /// <summary>Writes <c>{prefix}-{seed}.onnx</c>; <paramref name="padding"/> floats of an initializer nothing reads make it as big as a test needs.</summary>
    public static string Write(string directory, int seed, int padding = 0, string prefix = "mlp")
    {
        var random = new Random(seed);
        var builder = new ModelBuilder { GraphName = $"{prefix}{seed}" };
        if (padding > 0)
        {
            builder.AddInitializer(TensorProto.FromSpan<float>("unused", new float[padding], padding));
        }

        var bytes = builder
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), Features)
            .AddInitializer(TensorProto.FromSpan<float>("w1", Weights(random, Features * 16), Features, 16))
            .AddInitializer(TensorProto.FromSpan<float>("b1", Weights(random, 16), 16))
            .AddInitializer(TensorProto.FromSpan<float>("w2", Weights(random, 16 * Outputs), 16, Outputs))
            .AddInitializer(TensorProto.FromSpan<float>("b2", Weights(random, Outputs), Outputs))
            .AddNode("MatMul", ["x", "w1"], ["h"])
            .AddNode("Add", ["h", "b1"], ["hb"])
            .AddNode("Relu", ["hb"], ["r"])
            .AddNode("MatMul", ["r", "w2"], ["o"])
            .AddNode("Add", ["o", "b2"], ["y"])
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), Outputs)
            .ToBytes();
        var path = Path.Combine(directory, $"{prefix}-{seed}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>What ONNX Runtime says for one row, run in this process through Orbit.Onnx.</summary>
    public static float[] RunDirect(string path, float[] row)
    {
        using var session = OnnxSession.FromFile(path);
        using var input = OnnxTensor.FromArray(row, 1, Features);
        using var result = session.Run(input);
        return result[0].AsSpan<float>().ToArray();
    }

    public static float[] RandomRow(Random random) =>
        Enumerable.Range(0, Features).Select(_ => (float)Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray();

    private static float[] Weights(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
}
