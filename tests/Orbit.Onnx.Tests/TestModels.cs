using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests;

/// <summary>Small models built with our own writer, so unit tests need no downloaded data.</summary>
internal static class TestModels
{
    public static readonly SessionOptions SingleThread = new() { IntraOpThreads = 1, InterOpThreads = 1 };

    /// <summary>sum = a + b over float [batch, 3].</summary>
    public static byte[] Add() => new ModelBuilder()
        .AddInput("a", TensorElementType.Float, Dimension.Symbolic("batch"), 3)
        .AddInput("b", TensorElementType.Float, Dimension.Symbolic("batch"), 3)
        .AddNode("Add", ["a", "b"], ["sum"])
        .AddOutput("sum", TensorElementType.Float, Dimension.Symbolic("batch"), 3)
        .ToBytes();

    /// <summary>y = Identity(x) for any element type and a fixed shape.</summary>
    public static byte[] Identity(TensorElementType type, params long[] shape) => new ModelBuilder()
        .AddInput("x", type, shape.Select(d => (Dimension)d).ToArray())
        .AddNode("Identity", ["x"], ["y"])
        .AddOutput("y", type, shape.Select(d => (Dimension)d).ToArray())
        .ToBytes();

    public static OnnxSession Open(byte[] model, SessionOptions? options = null) => OnnxSession.FromBytes(model, options ?? SingleThread);
}
