using Microsoft.Extensions.Options;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Streams;
using Orbit.Testing;

namespace Orbit.Hosting.Tests.Streams;

public sealed class StreamReconnectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_reader_cut_off_from_the_broker_resumes_after_the_last_offset_it_handed_out()
    {
        var stream = StreamTestServices.UniqueStream("reader-cut");
        await using var proxy = StreamTestServices.ProxyToBroker(out var proxied);
        await using var direct = new StreamTestServices();
        await using var cutOff = new StreamTestServices(proxied);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await direct.Publisher.PublishAsync(stream, new StreamProbe("before", i, DateTimeOffset.UnixEpoch), CancellationToken.None);
            }

            using var timeout = new CancellationTokenSource(Patience);
            var seen = new List<StreamRecord<StreamProbe>>();
            await foreach (var record in cutOff.Reader.ReadAsync<StreamProbe>(stream, 0, timeout.Token))
            {
                seen.Add(record);
                if (seen.Count == 3)
                {
                    proxy.Cut();
                    for (var i = 3; i < 6; i++)
                    {
                        await direct.Publisher.PublishAsync(stream, new StreamProbe("during", i, DateTimeOffset.UnixEpoch), CancellationToken.None);
                    }

                    proxy.Restore();
                }

                if (seen.Count == 6)
                {
                    break;
                }
            }

            Assert.Equal([0L, 1, 2, 3, 4, 5], seen.Select(r => r.Offset));
            Assert.Equal([0, 1, 2, 3, 4, 5], seen.Select(r => r.Message!.Sequence));
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task A_publisher_cut_off_from_the_broker_reconnects_and_delivers()
    {
        var stream = StreamTestServices.UniqueStream("publisher-cut");
        await using var proxy = StreamTestServices.ProxyToBroker(out var proxied);
        await using var direct = new StreamTestServices();
        await using var cutOff = new StreamTestServices(proxied, new Dictionary<string, string?> { ["Orbit:Streams:PublishTimeoutSeconds"] = "60" });
        try
        {
            await cutOff.Publisher.PublishAsync(stream, new StreamProbe("before", 0, DateTimeOffset.UnixEpoch), CancellationToken.None);
            proxy.Cut();
            var during = cutOff.Publisher.PublishAsync(stream, new StreamProbe("during", 1, DateTimeOffset.UnixEpoch), CancellationToken.None);
            await Task.Delay(300);
            Assert.False(during.IsCompleted, "a publish while the broker is unreachable waits for it");
            proxy.Restore();
            await during.WaitAsync(Patience);
            await cutOff.Publisher.PublishAsync(stream, new StreamProbe("after", 2, DateTimeOffset.UnixEpoch), CancellationToken.None);

            var records = await StreamRoundTripTests.ReadAsync<StreamProbe>(direct.Reader, stream, 0, 3);

            Assert.Equal(["before", "during", "after"], records.Select(r => r.Message!.Name));
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task A_publish_to_an_unreachable_broker_fails_as_unavailable_after_the_publish_timeout()
    {
        await using var services = new StreamTestServices(TestInfrastructure.ClosedRabbitMqUrl,
            new Dictionary<string, string?> { ["Orbit:Streams:PublishTimeoutSeconds"] = "1" });

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            services.Publisher.PublishAsync("test.streams.unreachable", new StreamProbe("p", 0, DateTimeOffset.UnixEpoch), CancellationToken.None));

        Assert.Contains("test.streams.unreachable", error.Message);
    }

    [Fact]
    public async Task A_bad_max_age_is_refused_naming_the_key()
    {
        await using var services = new StreamTestServices(settings: new Dictionary<string, string?> { ["Orbit:Streams:PerStream:orbit.stats:MaxAge"] = "a week" });

        var error = Assert.Throws<OptionsValidationException>(() => services.Get<IOptions<StreamOptions>>().Value);

        Assert.Contains("Orbit:Streams:PerStream:orbit.stats:MaxAge", error.Message);
    }
}
