using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Orbit.Onnx.Tests;

/// <summary>Captures what ORT logs during the test run; installed before anything starts the runtime.</summary>
internal sealed class TestLog : ILogger
{
    public static readonly ConcurrentQueue<(LogLevel Level, string Message)> Entries = new();

    [ModuleInitializer]
    internal static void Install() =>
        OnnxRuntime.Configure(new OnnxRuntimeOptions { Logger = new TestLog(), LogLevel = LogLevel.Warning });

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
