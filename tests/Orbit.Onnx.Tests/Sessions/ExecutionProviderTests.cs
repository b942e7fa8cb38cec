using Orbit.Onnx.Sessions;

namespace Orbit.Onnx.Tests.Sessions;

public sealed class ExecutionProviderTests
{
    [Fact]
    public void Cuda_then_cpu_runs_on_cuda_when_it_starts_and_on_cpu_otherwise()
    {
        var cudaStarts = OnnxSession.IsProviderAvailable("cuda:0");

        using var session = TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0", "cpu"] });

        Assert.Equal(cudaStarts ? "cuda:0" : "cpu", session.ExecutionProvider);
    }

    [CpuOnlyFact]
    public void On_a_machine_without_a_GPU_cuda_is_unavailable_and_cpu_is_chosen()
    {
        Assert.False(OnnxSession.IsProviderAvailable("cuda:0"));
        using var session = TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0", "cpu"] });
        Assert.Equal("cpu", session.ExecutionProvider);
    }

    [CpuOnlyFact]
    public void A_provider_that_does_not_start_is_logged_once_per_process()
    {
        for (var i = 0; i < 3; i++)
        {
            using var session = TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0", "cpu"] });
        }

        var fallbacks = TestLog.Entries.Where(e => e.Message.Contains("Execution provider unavailable (cuda:0:")).ToArray();
        var only = Assert.Single(fallbacks);
        Assert.Contains("running on cpu", only.Message);
    }

    [CpuOnlyFact]
    public void Cuda_alone_without_a_GPU_fails_naming_the_provider_and_ORTs_reason()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() =>
            TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0"] }));

        Assert.Contains("cuda:0:", error.Message);
    }

    [Fact]
    public void Cpu_alone_always_starts()
    {
        using var session = TestModels.Open(TestModels.Add());

        Assert.Equal("cpu", session.ExecutionProvider);
    }

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:x")]
    [InlineData("cpu:1")]
    public void An_unknown_provider_name_is_refused(string provider)
    {
        Assert.Throws<ArgumentException>(() =>
            TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = [provider] }));
    }
}
