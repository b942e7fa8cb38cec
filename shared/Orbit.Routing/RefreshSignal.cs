using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Orbit.Routing;

/// <summary>
/// Asks the <see cref="RoutingRefresher"/> to re-read the routing tables now. A thing of its own, with
/// no dependencies, so the bus's observers can hold it while the bus is being built.
/// </summary>
public sealed partial class RefreshSignal(ILogger<RefreshSignal> logger)
{
    // At most one pending request: requests made while one waits are the same read.
    private readonly Channel<bool> _requested = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Request(string reason)
    {
        LogRefreshRequested(logger, reason);
        _requested.Writer.TryWrite(true);
    }

    /// <summary>Waits for a request or for <paramref name="wait"/>, whichever comes first, and takes the request.</summary>
    internal async Task WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken stoppingToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var requested = _requested.Reader.WaitToReadAsync(waiting.Token).AsTask();
        await Task.WhenAny(requested, Task.Delay(wait, time, waiting.Token));
        await waiting.CancelAsync();
        _requested.Reader.TryRead(out _);
    }

    [LoggerMessage(EventId = RoutingLogEvents.RefreshRequested, Level = LogLevel.Information, Message = "Re-reading the routing tables: {Reason}")]
    private static partial void LogRefreshRequested(ILogger logger, string reason);
}
