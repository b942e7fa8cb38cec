using Orbit.Onnx.Native;
using Orbit.Onnx.Sessions;

namespace Orbit.Onnx.Tests.Native;

public sealed unsafe class StatusCheckTests
{
    [Fact]
    public void A_null_status_is_success()
    {
        OnnxRuntime.EnsureStarted();
        OrtStatus.Check(0);
    }

    [Fact]
    public void A_failed_status_throws_with_ORTs_code_and_message()
    {
        OnnxRuntime.EnsureStarted();
        nint status;
        fixed (byte* message = "the model is on fire\0"u8)
        {
            status = OrtApi.CreateStatus((int)OrtErrorCode.InvalidGraph, message);
        }

        var error = Assert.Throws<OnnxRuntimeException>(() => OrtStatus.Check(status));

        Assert.Equal(OrtErrorCode.InvalidGraph, error.Code);
        Assert.Equal("the model is on fire", error.OrtMessage);
        Assert.Contains("the model is on fire", error.Message);
    }

    [Fact]
    public void Garbage_model_bytes_surface_as_an_OnnxRuntimeException_not_a_crash()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromBytes("not a model"u8));

        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.OrtMessage));
    }

    [Fact]
    public void A_missing_model_file_names_the_file()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OnnxSession.FromFile("/nonexistent/model.onnx"));

        Assert.Contains("/nonexistent/model.onnx", error.Message);
    }
}
