namespace Orbit.Onnx.Tests.Conformance;

internal static class ConformanceTestData
{
    public const string NodeDirectory = "/usr/share/libonnx-testdata/data/node";

    public static string KnownFailuresPath => Path.Combine(AppContext.BaseDirectory, "Conformance", "known-failures.txt");
}

/// <summary>A fact that is skipped, with the reason shown, when ONNX's backend test data is not installed.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!Directory.Exists(ConformanceTestData.NodeDirectory))
        {
            Skip = $"ONNX backend test data is missing ({ConformanceTestData.NodeDirectory}); run `./orbit deps` (installs libonnx-testdata).";
        }
    }
}
