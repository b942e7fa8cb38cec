using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Protobuf;

public sealed class ModelBuilderTests
{
    [Fact]
    public void A_MatMul_Add_Relu_MLP_with_a_symbolic_batch_loads_and_computes_correctly()
    {
        float[] w = [1, -1, 2, 0.5f, -3, 1];  // [3, 2]
        float[] bias = [0.5f, -10];
        var model = new ModelBuilder()
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), 3)
            .AddInitializer(TensorProto.FromSpan<float>("w", w, 3, 2))
            .AddInitializer(TensorProto.FromSpan<float>("bias", bias, 2))
            .AddNode("MatMul", ["x", "w"], ["xw"])
            .AddNode("Add", ["xw", "bias"], ["z"])
            .AddNode("Relu", ["z"], ["y"])
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), 2)
            .ToBytes();
        using var session = TestModels.Open(model);
        float[] x = [1, 2, 3, -1, 0, 1];
        using var input = OnnxTensor.FromArray(x, 2, 3);

        using var result = session.Run(input);

        Assert.Equal(Dimension.Symbolic("batch"), session.Inputs[0].Dimensions[0]);
        Assert.Equal(ReferenceMlp(x, 2, w, bias), result[0].ToArray<float>());
    }

    [Fact]
    public void A_node_of_the_ai_onnx_ml_domain_runs_once_its_opset_is_imported()
    {
        // Scaler (ai.onnx.ml): y = (x - offset) * scale, per column.
        var model = new ModelBuilder()
            .ImportOpset("ai.onnx.ml", 3)
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("n"), 2)
            .AddNode("Scaler", ["x"], ["y"], [NodeAttribute.Floats("offset", 1f, -1f), NodeAttribute.Floats("scale", 2f, 0.5f)], name: "scale", domain: "ai.onnx.ml")
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("n"), 2)
            .ToBytes();
        using var session = TestModels.Open(model);
        using var input = OnnxTensor.FromArray(new float[] { 3, 3 }, 1, 2);

        using var result = session.Run(input);

        Assert.Equal([4f, 2f], result[0].ToArray<float>());
    }

    [Fact]
    public void A_node_in_a_domain_the_model_does_not_import_is_refused_when_written()
    {
        var builder = new ModelBuilder()
            .AddInput("x", TensorElementType.Float, 1, 2)
            .AddNode("Scaler", ["x"], ["y"], [], name: "scale", domain: "ai.onnx.ml")
            .AddOutput("y", TensorElementType.Float, 1, 2);

        var refused = Assert.Throws<InvalidOperationException>(() => builder.ToBytes());

        Assert.Contains("ai.onnx.ml", refused.Message);
    }

    [Fact]
    public void A_Gemm_with_float_and_int_attributes_matches_its_definition()
    {
        // y = alpha * x * transpose(w) + beta * c
        float[] w = [1, 2, 3, 4, 5, 6];  // [2, 3], used transposed
        var model = new ModelBuilder()
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("n"), 3)
            .AddInitializer(TensorProto.FromSpan<float>("w", w, 2, 3))
            .AddInitializer(TensorProto.FromSpan<float>("c", [1f, -1f], 2))
            .AddNode("Gemm", ["x", "w", "c"], ["y"],
                NodeAttribute.Float("alpha", 2f), NodeAttribute.Float("beta", 0.5f), NodeAttribute.Int("transB", 1))
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("n"), 2)
            .ToBytes();
        using var session = TestModels.Open(model);
        using var input = OnnxTensor.FromArray(new float[] { 1, 1, 1 }, 1, 3);

        using var result = session.Run(input);

        Assert.Equal([2 * 6 + 0.5f, 2 * 15 - 0.5f], result[0].ToArray<float>());
    }

    [Fact]
    public void Ints_floats_string_and_tensor_attributes_all_reach_ORT()
    {
        var model = new ModelBuilder()
            .AddInput("x", TensorElementType.Float, 1, 4, 1, 1)
            .AddNode("Constant", [], ["scale"], NodeAttribute.Tensor("value", TensorProto.FromSpan<float>("", [10f], 1)))
            .AddNode("Constant", [], ["offsets"], NodeAttribute.Floats("value_floats", 1f, 2f))
            .AddNode("DepthToSpace", ["x"], ["space"], NodeAttribute.Int("blocksize", 2), NodeAttribute.String("mode", "CRD"))
            .AddNode("Transpose", ["space"], ["t"], NodeAttribute.Ints("perm", 0, 1, 3, 2))
            .AddNode("Mul", ["t", "scale"], ["scaled"])
            .AddNode("Add", ["scaled", "offsets"], ["y"])
            .AddOutput("y", TensorElementType.Float, 1, 1, 2, 2)
            .ToBytes();
        using var session = TestModels.Open(model);
        using var input = OnnxTensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 4, 1, 1);

        using var result = session.Run(input);

        // DepthToSpace CRD gives [[1,2],[3,4]]; transposed [[1,3],[2,4]]; *10 + [1,2].
        Assert.Equal([11f, 32f, 21f, 42f], result[0].ToArray<float>());
    }

    [Fact]
    public void The_summary_reader_sees_what_the_writer_wrote()
    {
        var model = new ModelBuilder(opset: 13) { ProducerName = "orbit-test", GraphName = "g" }
            .AddInput("x", TensorElementType.Int64, Dimension.Symbolic("batch"), 8)
            .AddInitializer(TensorProto.FromSpan<long>("k", [1L], 1))
            .AddNode("Add", ["x", "k"], ["y"])
            .AddOutput("y", TensorElementType.Int64, Dimension.Symbolic("batch"), 8)
            .ToBytes();

        var summary = ModelSummaryReader.Read(model);

        Assert.Equal(ModelBuilder.DefaultIrVersion, summary.IrVersion);
        Assert.Equal("orbit-test", summary.ProducerName);
        Assert.Equal("g", summary.GraphName);
        Assert.Equal(new OperatorSet("", 13), Assert.Single(summary.Opsets));
        var x = Assert.Single(summary.Inputs);
        Assert.Equal("int64 [batch,8]", x.ToString());
        Assert.Equal(["k"], summary.InitializerNames);
        Assert.Equal("y", Assert.Single(summary.Outputs).Name);
    }

    private static float[] ReferenceMlp(float[] x, int batch, float[] w, float[] bias)
    {
        var y = new float[batch * 2];
        for (var r = 0; r < batch; r++)
        {
            for (var c = 0; c < 2; c++)
            {
                var sum = bias[c];
                for (var k = 0; k < 3; k++)
                {
                    sum += x[r * 3 + k] * w[k * 2 + c];
                }
                y[r * 2 + c] = Math.Max(0, sum);
            }
        }
        return y;
    }
}
