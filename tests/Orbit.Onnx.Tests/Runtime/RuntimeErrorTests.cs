using Orbit.Onnx.Sessions;

namespace Orbit.Onnx.Tests.Runtime;

public sealed class RuntimeErrorTests
{
    [Fact]
    public void Garbage_model_bytes_surface_as_an_OnnxRuntimeException_with_ORTs_code()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromBytes("not a model"u8));

        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
        Assert.DoesNotContain("[ErrorCode:", error.OrtMessage);
        Assert.Contains("protobuf", error.OrtMessage);
    }

    [Fact]
    public void A_missing_model_file_names_the_file()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromFile("/nonexistent/model.onnx"));

        Assert.Contains("/nonexistent/model.onnx", error.Message);
    }

    [Fact]
    public void The_runtime_is_the_pinned_official_package()
    {
        Assert.Equal("1.31.1", OnnxRuntime.Version);
        Assert.Contains("CPUExecutionProvider", OnnxRuntime.BuildProviders);
    }

    [Fact]
    public void Only_linux_x64_natives_are_in_the_build_output()
    {
        var output = AppContext.BaseDirectory;

        Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")), $"libonnxruntime.so is not in {output}");
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), $"{output}runtimes/ holds natives for other platforms");
    }
}
