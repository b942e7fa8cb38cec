using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orbit.Onnx.Sessions;
using Orbit.Registry.Models;

namespace Orbit.Registry.Tests.Models;

public sealed class ModelValidatorTests
{
    private readonly BlockingInspector _inspector = new();
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Uploads_are_loaded_with_the_workers_session_options_graph_optimisation_included()
    {
        var validator = Validator(new UploadValidationOptions { IntraOpThreads = 1 });
        _inspector.Release();

        var validation = await validator.ValidateAsync("model.onnx", CancellationToken.None);

        Assert.Equal(ValidationVerdict.Loaded, validation.Verdict);
        var used = _inspector.LastOptions!;
        var workers = ServingSessions.Options("cpu", 1);
        Assert.Equal(GraphOptimizationLevel.All, used.OptimizationLevel);
        Assert.Equal(
            (workers.OptimizationLevel, workers.IntraOpThreads, workers.InterOpThreads, workers.ExecutionMode, string.Join(',', workers.ExecutionProviders)),
            (used.OptimizationLevel, used.IntraOpThreads, used.InterOpThreads, used.ExecutionMode, string.Join(',', used.ExecutionProviders)));
    }

    [Fact]
    public async Task Uploads_beyond_the_slots_and_the_queue_are_turned_away_as_busy()
    {
        var validator = Validator(new UploadValidationOptions { MaxConcurrent = 1, MaxQueued = 1 });
        var running = validator.ValidateAsync("a.onnx", CancellationToken.None);
        var queued = validator.ValidateAsync("b.onnx", CancellationToken.None);

        var turnedAway = await validator.ValidateAsync("c.onnx", CancellationToken.None);

        Assert.Equal(ValidationVerdict.Busy, turnedAway.Verdict);
        Assert.False(queued.IsCompleted);
        _inspector.Release();
        Assert.Equal(ValidationVerdict.Loaded, (await running).Verdict);
        Assert.Equal(ValidationVerdict.Loaded, (await queued).Verdict);
        Assert.Equal(ValidationVerdict.Loaded, (await validator.ValidateAsync("d.onnx", CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task A_load_past_the_time_limit_is_refused_and_keeps_its_slot_until_it_returns()
    {
        var validator = Validator(new UploadValidationOptions { MaxConcurrent = 1, MaxQueued = 0, TimeoutSeconds = 30 });
        var hung = validator.ValidateAsync("hangs.onnx", CancellationToken.None);
        await Eventually(() => _inspector.Started == 1 && _clock.HasTimers);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var refused = await hung;

        Assert.Equal(ValidationVerdict.TimedOut, refused.Verdict);
        Assert.Contains("within 30 s", refused.Error);
        Assert.Equal(ValidationVerdict.Busy, (await validator.ValidateAsync("next.onnx", CancellationToken.None)).Verdict);
        _inspector.Release();
        await Eventually(async () => (await validator.ValidateAsync("after.onnx", CancellationToken.None)).Verdict == ValidationVerdict.Loaded);
    }

    private ModelValidator Validator(UploadValidationOptions options) =>
        new(_inspector, Options.Create(options), _clock, NullLogger<ModelValidator>.Instance);

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    // Waits for work on other threads to reach a point; it asserts nothing about how long that takes.
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException("the condition never held");
    }
}
