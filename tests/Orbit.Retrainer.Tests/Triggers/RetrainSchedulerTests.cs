using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orbit.Retrainer.Storage;
using Orbit.Retrainer.Triggers;

namespace Orbit.Retrainer.Tests.Triggers;

public sealed class RetrainSchedulerTests
{
    [Fact]
    public async Task A_scheduled_model_is_triggered_once_per_interval_starting_one_interval_after_start()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var intake = new RecordingIntake();
        var options = Options.Create(new RetrainerOptions
        {
            Models =
            [
                new ModelRetrainSettings { Tenant = "acme", Model = "hourly", ScheduleMinutes = 60 },
                new ModelRetrainSettings { Tenant = "acme", Model = "unscheduled" },
            ],
        });
        using var scheduler = new RetrainScheduler(intake, options, time, NullLogger<RetrainScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        await Settle();
        time.Advance(TimeSpan.FromMinutes(59));
        await Settle();
        Assert.Empty(intake.Requests);

        time.Advance(TimeSpan.FromMinutes(1));
        await WaitFor(() => intake.Requests.Count == 1);
        time.Advance(TimeSpan.FromMinutes(60));
        await WaitFor(() => intake.Requests.Count == 2);

        Assert.All(intake.Requests, r => Assert.Equal(("acme", "hourly", TriggerKind.Schedule), (r.TenantId, r.Model, r.Kind)));
        await scheduler.StopAsync(CancellationToken.None);
    }

    private static Task Settle() => Task.Delay(100);

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }

    private sealed class RecordingIntake : ITriggerIntake
    {
        public ConcurrentQueue<TriggerRequest> Requests { get; } = new();

        public Task<RetrainAttempt> RecordAsync(TriggerRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return Task.FromResult(new RetrainAttempt
            {
                Id = "a", TenantId = request.TenantId, Model = request.Model, Trigger = request.Kind, Detail = request.Detail,
                Status = AttemptStatus.Pending, CreatedAt = DateTimeOffset.UnixEpoch,
            });
        }
    }
}
