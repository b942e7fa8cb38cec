using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Bench;

/// <summary>The compute-heavy models, written with Orbit's own model writer.</summary>
internal static class BenchModels
{
    public const int Width = 256;

    /// <summary>x[batch,256] → 3 × (MatMul 256×256 + bias), Relu between layers.</summary>
    public static byte[] Mlp()
    {
        var random = new Random(42);
        var model = new ModelBuilder { GraphName = "mlp3x256" }
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), Width);
        var current = "x";
        for (var layer = 1; layer <= 3; layer++)
        {
            model.AddInitializer(TensorProto.FromSpan<float>($"w{layer}", Weights(random, Width * Width, Width), Width, Width))
                .AddInitializer(TensorProto.FromSpan<float>($"b{layer}", Weights(random, Width, Width), Width))
                .AddNode("MatMul", [current, $"w{layer}"], [$"mm{layer}"])
                .AddNode("Add", [$"mm{layer}", $"b{layer}"], [layer == 3 ? "y" : $"z{layer}"]);
            if (layer < 3)
            {
                model.AddNode("Relu", [$"z{layer}"], [$"h{layer}"]);
                current = $"h{layer}";
            }
        }
        return model.AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), Width).ToBytes();
    }

    /// <summary>x[1,3,64,64] → Conv 16×3×3×3 (pad 1) + bias → Relu.</summary>
    public static byte[] Conv()
    {
        var random = new Random(7);
        return new ModelBuilder { GraphName = "conv16" }
            .AddInput("x", TensorElementType.Float, 1, 3, 64, 64)
            .AddInitializer(TensorProto.FromSpan<float>("w", Weights(random, 16 * 3 * 3 * 3, 27), 16, 3, 3, 3))
            .AddInitializer(TensorProto.FromSpan<float>("b", Weights(random, 16, 27), 16))
            .AddNode("Conv", ["x", "w", "b"], ["c"], NodeAttribute.Ints("pads", 1, 1, 1, 1), NodeAttribute.Ints("kernel_shape", 3, 3))
            .AddNode("Relu", ["c"], ["y"])
            .AddOutput("y", TensorElementType.Float, 1, 16, 64, 64)
            .ToBytes();
    }

    private static float[] Weights(Random random, int count, int fanIn)
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
