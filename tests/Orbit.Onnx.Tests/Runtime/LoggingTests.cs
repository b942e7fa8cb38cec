using Microsoft.Extensions.Logging;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Runtime;

public sealed class LoggingTests
{
    [Fact]
    public void ORTs_own_warnings_reach_the_configured_logger()
    {
        // ORT warns when it drops an initializer no node uses.
        var model = new ModelBuilder()
            .AddInput("x", TensorElementType.Float, 1)
            .AddInitializer(TensorProto.FromSpan<float>("never_used_by_any_node", [1f], 1))
            .AddNode("Identity", ["x"], ["y"])
            .AddOutput("y", TensorElementType.Float, 1)
            .ToBytes();

        using var session = TestModels.Open(model);

        Assert.Contains(TestLog.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("never_used_by_any_node"));
    }
}
