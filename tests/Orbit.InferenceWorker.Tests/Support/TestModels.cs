using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Tests.Support;

/// <summary>Small models written with Orbit.Onnx's ModelBuilder.</summary>
public static class TestModels
{
    /// <summary>y = relu(x·W + b) · V: x [batch,8] → y [batch,3]; fixed weights.</summary>
    public static byte[] Mlp(bool fixedBatch = false)
    {
        var random = new Random(7);
        var w = Enumerable.Range(0, 8 * 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var v = Enumerable.Range(0, 16 * 3).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Dimension batch = fixedBatch ? Dimension.Fixed(1) : Dimension.Symbolic("batch");
        return new ModelBuilder()
            .AddInput("x", TensorElementType.Float, batch, 8)
            .AddInitializer(TensorProto.FromSpan<float>("w", w, 8, 16))
            .AddInitializer(TensorProto.FromSpan<float>("b", b, 16))
            .AddInitializer(TensorProto.FromSpan<float>("v", v, 16, 3))
            .AddNode("MatMul", ["x", "w"], ["xw"])
            .AddNode("Add", ["xw", "b"], ["h"])
            .AddNode("Relu", ["h"], ["r"])
            .AddNode("MatMul", ["r", "v"], ["y"])
            .AddOutput("y", TensorElementType.Float, batch, 3)
            .ToBytes();
    }

    /// <summary><paramref name="rows"/> rows of 8 inputs for <see cref="Mlp"/>, different for each seed.</summary>
    public static float[] MlpRows(int seed, long rows) =>
        Enumerable.Range(0, (int)rows * 8).Select(i => (float)Math.Sin(seed * 31 + i)).ToArray();

    /// <summary>What ONNX Runtime answers for <paramref name="rows"/> rows of <paramref name="x"/>, run directly: the bytes a worker must return.</summary>
    public static byte[] RunMlp(byte[] model, float[] x, long rows)
    {
        using var session = OnnxSession.FromBytes(model);
        using var input = OnnxTensor.FromArray(x, rows, 8);
        using var result = session.Run(input);
        return result[0].AsBytes().ToArray();
    }

    /// <summary>x [batch,n] → y = x + x [batch,n]: any row length is accepted.</summary>
    public static byte[] Doubler() => new ModelBuilder()
        .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), Dimension.Symbolic("n"))
        .AddNode("Add", ["x", "x"], ["y"])
        .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), Dimension.Symbolic("n"))
        .ToBytes();

    /// <summary>i [batch,1] int64 → rows of a 4×3 table; an index outside 0..3 makes ONNX Runtime fail.</summary>
    public static byte[] Lookup() => new ModelBuilder()
        .AddInput("i", TensorElementType.Int64, Dimension.Symbolic("batch"), 1)
        .AddInitializer(TensorProto.FromSpan<float>("table", Enumerable.Range(0, 12).Select(v => (float)v).ToArray(), 4, 3))
        .AddNode("Gather", ["table", "i"], ["rows"], NodeAttribute.Int("axis", 0))
        .AddOutput("rows", TensorElementType.Float, Dimension.Symbolic("batch"), 1, 3)
        .ToBytes();

    /// <summary>x [batch,2] of <paramref name="type"/> → y, unchanged.</summary>
    public static byte[] Identity(TensorElementType type) => new ModelBuilder()
        .AddInput("x", type, Dimension.Symbolic("batch"), 2)
        .AddNode("Identity", ["x"], ["y"])
        .AddOutput("y", type, Dimension.Symbolic("batch"), 2)
        .ToBytes();

    /// <summary>
    /// x [batch,4] → y = x − ReduceMean(x, axes=[0]): each row minus the mean over the rows of the run. Alone a
    /// row gives zeros; merged with others it gives something else, so this model must never be batched.
    /// </summary>
    public static byte[] RowMixing() => new ModelBuilder()
        .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 4)
        .AddNode("ReduceMean", ["x"], ["mean"], NodeAttribute.Ints("axes", 0), NodeAttribute.Int("keepdims", 1))
        .AddNode("Sub", ["x", "mean"], ["y"])
        .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 4)
        .ToBytes();
}
