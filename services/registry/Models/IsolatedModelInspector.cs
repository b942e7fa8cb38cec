using System.Diagnostics;
using System.Text.Json;
using Orbit.Onnx;

namespace Orbit.Registry.Models;

/// <summary>
/// Loads each upload in a child process (<see cref="ModelInspectionChild"/>): a file that makes ONNX Runtime
/// crash, abort or run out of memory ends that process, and the upload is refused with how it ended. A load
/// past the time limit is killed, so its slot is free again at once.
/// </summary>
internal sealed partial class IsolatedModelInspector(ILogger<IsolatedModelInspector> logger) : IModelInspector
{
    private const int StderrKeptChars = 4096;

    /// <summary>How the check process is started; tests start other real programs to see crashes handled.</summary>
    internal Func<ProcessStartInfo> StartInfo { get; init; } = RegistryItself;

    public async Task<ModelInspection> InspectAsync(string path, Orbit.Onnx.Sessions.SessionOptions options, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo() };
        process.Start();
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new InspectionRequest(path, options), JsonSerializerOptions.Web).AsMemory(), cancellationToken);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            return Interpret(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        catch (IOException)
        {
            // The child closed its input before reading the request (a broken pipe): it is ending, or about to,
            // and the pipe can break before the exit is observable, so wait for it (bounded by the caller's limit)
            // and report the crash it is.
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return Interpret(process.ExitCode, "", await process.StandardError.ReadToEndAsync(CancellationToken.None));
        }
    }

    private ModelInspection Interpret(int exitCode, string stdout, string stderr)
    {
        if (exitCode == ModelInspectionChild.RuntimeMissingExitCode)
        {
            LogRuntimeMissing(logger, Tail(stderr));
            throw new OnnxRuntimeNotFoundException("ONNX Runtime's native library cannot be loaded by the registry; its log has the details");
        }

        if (exitCode == 0 && JsonSerializer.Deserialize<InspectionReply>(stdout, JsonSerializerOptions.Web) is { } reply && (reply.Signature is not null || reply.Error is not null))
        {
            return new ModelInspection(reply.Signature, reply.Error);
        }

        LogCrashed(logger, exitCode, Tail(stderr));
        return new ModelInspection(null, $"ONNX Runtime crashed while loading it (the check process ended with {Describe(exitCode)})");
    }

    // .NET reports a process killed by signal N as exit code 128 + N.
    private static string Describe(int exitCode) => exitCode switch
    {
        > 128 and < 160 => $"signal {exitCode - 128}",
        _ => $"exit code {exitCode}",
    };

    private static string Tail(string text) => text.Length <= StderrKeptChars ? text.Trim() : text[^StderrKeptChars..].Trim();

    private static ProcessStartInfo RegistryItself()
    {
        var registry = typeof(ModelInspectionChild).Assembly.Location;
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(registry);
        info.ArgumentList.Add(ModelInspectionChild.Flag);
        return info;
    }

    /// <summary>The <c>dotnet</c> that runs us (the registry is started as <c>dotnet Orbit.Registry.dll</c>, tests by <c>dotnet test</c>).</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    [LoggerMessage(EventId = RegistryLogEvents.ValidationCrashed, Level = LogLevel.Warning, Message = "Upload refused: the model check process ended with exit code {ExitCode}; its last output: {Stderr}")]
    private static partial void LogCrashed(ILogger logger, int exitCode, string stderr);

    [LoggerMessage(EventId = RegistryLogEvents.ValidationRuntimeMissing, Level = LogLevel.Error, Message = "Uploads cannot be checked: ONNX Runtime's native library did not load in the check process: {Stderr}")]
    private static partial void LogRuntimeMissing(ILogger logger, string stderr);
}
