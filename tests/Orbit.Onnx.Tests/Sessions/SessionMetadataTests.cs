using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Sessions;

public sealed class SessionMetadataTests
{
    [Fact]
    public void Inputs_and_outputs_report_names_types_and_symbolic_dimensions()
    {
        using var session = TestModels.Open(TestModels.Add());

        Assert.Equal(["a", "b"], session.Inputs.Select(i => i.Name));
        var sum = Assert.Single(session.Outputs);
        Assert.Equal("sum", sum.Name);
        Assert.Equal(ValueKind.Tensor, sum.Kind);
        Assert.Equal(TensorElementType.Float, sum.ElementType);
        Assert.Equal([Dimension.Symbolic("batch"), Dimension.Fixed(3)], sum.Dimensions);
        Assert.Equal("float [batch,3]", sum.ToString());
    }

    [Fact]
    public void An_unknown_dimension_has_no_name()
    {
        var model = new Orbit.Onnx.Protobuf.ModelBuilder()
            .AddInput("x", TensorElementType.Int64, new Dimension(-1, null))
            .AddNode("Identity", ["x"], ["y"])
            .AddOutput("y", TensorElementType.Int64, new Dimension(-1, null))
            .ToBytes();

        using var session = TestModels.Open(model);

        var dim = Assert.Single(session.Inputs[0].Dimensions);
        Assert.False(dim.IsFixed);
        Assert.Null(dim.Name);
        Assert.Equal("?", dim.ToString());
    }

    [Fact]
    public void A_session_opens_from_a_file_as_well_as_from_bytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"orbit-add-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, TestModels.Add());
        try
        {
            using var session = OnnxSession.FromFile(path, TestModels.SingleThread);

            Assert.Equal(2, session.Inputs.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.None, ExecutionMode.Sequential)]
    [InlineData(GraphOptimizationLevel.Basic, ExecutionMode.Parallel)]
    [InlineData(GraphOptimizationLevel.Extended, ExecutionMode.Sequential)]
    [InlineData(GraphOptimizationLevel.All, ExecutionMode.Parallel)]
    public void Every_optimization_level_and_execution_mode_opens_and_runs(GraphOptimizationLevel level, ExecutionMode mode)
    {
        var options = new SessionOptions { OptimizationLevel = level, ExecutionMode = mode, IntraOpThreads = 1, InterOpThreads = 2 };
        using var session = TestModels.Open(TestModels.Add(), options);
        using var a = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);

        using var result = session.Run(a, a);

        Assert.Equal([2f, 4f, 6f], result[0].ToArray<float>());
    }
}
