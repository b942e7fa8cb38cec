using Orbit.Onnx.Sessions;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Orbit.Onnx.Tests.Sessions;

public sealed class ExecutionProviderTests
{
    [CpuOnlyFact]
    public void Cuda_then_cpu_on_a_machine_without_a_GPU_runs_on_cpu_and_reports_ORTs_reason()
    {
        var ortMessage = WhatOrtSaysWhenCudaIsAppended();

        using var session = TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0", "cpu"] });

        Assert.Equal("cpu", session.ExecutionProvider);
        Assert.NotNull(session.ProviderFallbackReason);
        Assert.StartsWith("cuda:0: ", session.ProviderFallbackReason);
        Assert.Contains(ortMessage, session.ProviderFallbackReason);
        // The CPU package has no CUDA provider; the GPU package without CUDA 13 fails to load its provider library.
        Assert.Matches("CUDA|Failed to load", session.ProviderFallbackReason);
    }

    [Fact]
    public void A_session_whose_first_provider_started_has_no_fallback_reason()
    {
        using var session = TestModels.Open(TestModels.Add());

        Assert.Equal("cpu", session.ExecutionProvider);
        Assert.Null(session.ProviderFallbackReason);
    }

    [CpuOnlyFact]
    public void On_a_machine_without_a_GPU_cuda_is_unavailable()
    {
        Assert.False(OnnxSession.IsProviderAvailable("cuda:0"));
        Assert.True(OnnxSession.IsProviderAvailable("cpu"));
    }

    [GpuFact]
    public void On_a_GPU_machine_with_the_GPU_build_cuda_starts_first()
    {
        using var session = TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0", "cpu"] });

        Assert.Equal("cuda:0", session.ExecutionProvider);
        Assert.Null(session.ProviderFallbackReason);
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
        var ortMessage = WhatOrtSaysWhenCudaIsAppended();

        var error = Assert.Throws<OnnxRuntimeException>(() =>
            TestModels.Open(TestModels.Add(), TestModels.SingleThread with { ExecutionProviders = ["cuda:0"] }));

        Assert.Contains("cuda:0: " + ortMessage, error.Message);
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

    /// <summary>ORT's own words, asked directly through the official API rather than through Orbit.Onnx.</summary>
    private static string WhatOrtSaysWhenCudaIsAppended()
    {
        OnnxRuntime.EnsureStarted();
        try
        {
            using var cuda = new Ort.OrtCUDAProviderOptions();
            using var options = new Ort.SessionOptions();
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (Ort.OnnxRuntimeException e)
        {
            return e.Message[(e.Message.IndexOf("] ", StringComparison.Ordinal) + 2)..];
        }
        Assert.Fail("ORT appended the CUDA provider, so this machine can run CUDA: the test assumes it cannot.");
        return "";
    }
}
