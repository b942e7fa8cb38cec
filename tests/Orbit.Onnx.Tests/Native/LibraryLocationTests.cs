using Orbit.Onnx.Native;

namespace Orbit.Onnx.Tests.Native;

public sealed class LibraryLocationTests
{
    [Fact]
    public void The_library_is_found_from_the_test_bin_folder_by_searching_upward()
    {
        var path = OrtLibrary.Resolve(configuredPath: null);

        Assert.EndsWith(Path.Combine(".cache", "onnxruntime", "libonnxruntime.so.1"), path);
        Assert.True(File.Exists(path), $"expected ORT at {path}; run ./orbit deps");
    }

    [WithoutOrtVariableFact]
    public void A_configured_path_is_used_when_the_environment_does_not_override_it()
    {
        Assert.Equal("/opt/ort/libonnxruntime.so.1", OrtLibrary.Resolve("/opt/ort/libonnxruntime.so.1"));
    }

    [Fact]
    public void A_missing_library_message_says_how_to_get_it()
    {
        var message = OrtLibrary.NotFoundMessage("/nowhere/libonnxruntime.so.1");

        Assert.Contains("./orbit deps", message);
        Assert.Contains("/nowhere/libonnxruntime.so.1", message);
        Assert.Contains(OrtLibrary.EnvironmentVariable, message);
    }

    [Fact]
    public void The_runtime_reports_its_version()
    {
        Assert.StartsWith("1.", OnnxRuntime.Version);
    }
}

/// <summary>Skipped, with the reason shown, when ORBIT_ONNXRUNTIME is set: it overrides any configured path by design.</summary>
public sealed class WithoutOrtVariableFactAttribute : FactAttribute
{
    public WithoutOrtVariableFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ORBIT_ONNXRUNTIME") is { Length: > 0 })
        {
            Skip = "ORBIT_ONNXRUNTIME is set, and it overrides a configured path by design.";
        }
    }
}
