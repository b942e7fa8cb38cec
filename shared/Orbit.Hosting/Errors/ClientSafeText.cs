using Microsoft.Extensions.Logging;
using Orbit.Hosting.Logging;

namespace Orbit.Hosting.Errors;

/// <summary>
/// Text from inside the platform (a worker's ONNX Runtime message, a stack detail, a path or URL)
/// never reaches a client: the client gets a stable message and the correlation id, and the
/// detail goes to the log under that id.
/// </summary>
public static partial class ClientSafeText
{
    /// <summary>Logs <paramref name="internalDetail"/> and returns <paramref name="stableMessage"/> with the correlation id.</summary>
    public static string Hide(ILogger logger, string stableMessage, string? internalDetail)
    {
        var id = Correlation.Current ?? "none";
        LogHidden(logger, id, internalDetail ?? "", stableMessage);
        return $"{stableMessage} (correlation id {id}; the detail is in the service's log)";
    }

    [LoggerMessage(EventId = HostingLogEvents.HiddenDetail, Level = LogLevel.Warning,
        Message = "Answered {CorrelationId} with a stable message; the internal detail was: {Detail} (client saw: {StableMessage})")]
    private static partial void LogHidden(ILogger logger, string correlationId, string detail, string stableMessage);
}
