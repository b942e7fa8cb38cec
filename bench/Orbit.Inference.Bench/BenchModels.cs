using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Inference.Bench;

/// <summary>A model the bench serves on both sides, with the one-row request it sends.</summary>
internal sealed record BenchModel(string Key, string Name, string InputName, long[] InputShape, Func<byte[]> Write)
{
    public int InputCount => (int)InputShape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>The two models, written with Orbit's own model writer; both have a symbolic batch dimension so the worker can batch.</summary>
internal static class BenchModels
{
    public static readonly IReadOnlyList<BenchModel> All =
    [
        new("mlp", "bench-mlp", "x", [1, 32], Mlp),
        new("conv", "bench-conv", "x", [1, 3, 32, 32], Conv),
        new("image", "bench-image", "x", [1, 3, 224, 224], Image),
    ];

    /// <summary>x[batch,32] → Gemm 256 → Relu → Gemm 256 → Relu → Gemm 2.</summary>
    public static byte[] Mlp()
    {
        var random = new Random(42);
        var model = new ModelBuilder { GraphName = "mlp32x256x256x2" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 32);
        int[] widths = [32, 256, 256, 2];
        var current = "x";
        for (var layer = 1; layer < widths.Length; layer++)
        {
            var (fanIn, fanOut) = (widths[layer - 1], widths[layer]);
            var output = layer == widths.Length - 1 ? "y" : $"z{layer}";
            model.AddInitializer(TensorProto.FromSpan<float>($"w{layer}", Weights(random, fanIn * fanOut, fanIn), fanIn, fanOut))
                .AddInitializer(TensorProto.FromSpan<float>($"b{layer}", Weights(random, fanOut, fanIn), fanOut))
                .AddNode("Gemm", [current, $"w{layer}", $"b{layer}"], [output]);
            if (output != "y")
            {
                model.AddNode("Relu", [output], [$"h{layer}"]);
                current = $"h{layer}";
            }
        }
        return model.AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 2).ToBytes();
    }

    /// <summary>x[batch,3,32,32] → Conv 16 3×3 → Relu → Conv 32 3×3 → Relu → GlobalAveragePool → Flatten → Gemm 10.</summary>
    public static byte[] Conv()
    {
        var random = new Random(7);
        return new ModelBuilder { GraphName = "conv16x32" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 3, 32, 32)
            .AddInitializer(TensorProto.FromSpan<float>("w1", Weights(random, 16 * 3 * 9, 27), 16, 3, 3, 3))
            .AddInitializer(TensorProto.FromSpan<float>("b1", Weights(random, 16, 27), 16))
            .AddInitializer(TensorProto.FromSpan<float>("w2", Weights(random, 32 * 16 * 9, 144), 32, 16, 3, 3))
            .AddInitializer(TensorProto.FromSpan<float>("b2", Weights(random, 32, 144), 32))
            .AddInitializer(TensorProto.FromSpan<float>("w3", Weights(random, 32 * 10, 32), 32, 10))
            .AddInitializer(TensorProto.FromSpan<float>("b3", Weights(random, 10, 32), 10))
            .AddNode("Conv", ["x", "w1", "b1"], ["c1"], NodeAttribute.Ints("pads", 1, 1, 1, 1), NodeAttribute.Ints("kernel_shape", 3, 3))
            .AddNode("Relu", ["c1"], ["r1"])
            .AddNode("Conv", ["r1", "w2", "b2"], ["c2"], NodeAttribute.Ints("pads", 1, 1, 1, 1), NodeAttribute.Ints("kernel_shape", 3, 3))
            .AddNode("Relu", ["c2"], ["r2"])
            .AddNode("GlobalAveragePool", ["r2"], ["p"])
            .AddNode("Flatten", ["p"], ["f"])
            .AddNode("Gemm", ["f", "w3", "b3"], ["y"])
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 10)
            .ToBytes();
    }

    /// <summary>
    /// An image-sized input, x[batch,3,224,224] (602,112 bytes of FP32) → Conv 8 3×3 stride 2 → Relu → GlobalAveragePool
    /// → Flatten → Gemm 10: light compute, so the row measures what carrying the tensor costs.
    /// </summary>
    public static byte[] Image()
    {
        var random = new Random(224);
        return new ModelBuilder { GraphName = "image224" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 3, 224, 224)
            .AddInitializer(TensorProto.FromSpan<float>("w1", Weights(random, 8 * 3 * 9, 27), 8, 3, 3, 3))
            .AddInitializer(TensorProto.FromSpan<float>("b1", Weights(random, 8, 27), 8))
            .AddInitializer(TensorProto.FromSpan<float>("w2", Weights(random, 8 * 10, 8), 8, 10))
            .AddInitializer(TensorProto.FromSpan<float>("b2", Weights(random, 10, 8), 10))
            .AddNode("Conv", ["x", "w1", "b1"], ["c"], NodeAttribute.Ints("pads", 1, 1, 1, 1), NodeAttribute.Ints("kernel_shape", 3, 3), NodeAttribute.Ints("strides", 2, 2))
            .AddNode("Relu", ["c"], ["r"])
            .AddNode("GlobalAveragePool", ["r"], ["p"])
            .AddNode("Flatten", ["p"], ["f"])
            .AddNode("Gemm", ["f", "w2", "b2"], ["y"])
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 10)
            .ToBytes();
    }

    internal static float[] Weights(Random random, int count, int fanIn)
    {
        var scale = (float)Math.Sqrt(2.0 / fanIn);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
        return values;
    }
}
