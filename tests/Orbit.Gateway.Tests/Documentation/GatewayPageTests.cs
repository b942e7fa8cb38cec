using Orbit.Testing;

namespace Orbit.Gateway.Tests.Documentation;

/// <summary>docs/gateway.md is what client authors copy from: its examples must be the files the tests run.</summary>
public sealed class GatewayPageTests
{
    [Fact]
    public void The_binary_tensor_Python_example_on_the_page_is_the_file_the_end_to_end_test_runs()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "gateway.md"));
        var file = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "examples", "infer_binary.py"));

        Assert.Contains("```python\n" + file + "```", markdown, StringComparison.Ordinal);
    }
}
