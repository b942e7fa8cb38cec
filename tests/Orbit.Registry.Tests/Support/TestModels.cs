namespace Orbit.Registry.Tests.Support;

/// <summary>Real ONNX files no one here wrote: Debian's libonnx-testdata, installed by ./orbit deps.</summary>
public static class TestModels
{
    private const string Root = "/usr/share/libonnx-testdata/data/node";

    public static byte[] Add => Read("test_add");

    public static byte[] Relu => Read("test_relu");

    public static byte[] Read(string testCase)
    {
        var path = Path.Combine(Root, testCase, "model.onnx");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run ./orbit deps (it installs Debian's libonnx-testdata).");
        }

        return File.ReadAllBytes(path);
    }

    public static string UniqueName(string prefix = "m") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
}
