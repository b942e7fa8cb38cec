using System.Diagnostics;
using System.Text;

namespace Orbit.Testing;

public sealed record ShellResult(int ExitCode, string Output);

public static class Shell
{
    /// <summary>Runs a program to completion (killing it past <paramref name="timeout"/>), capturing stdout and stderr together.</summary>
    public static async Task<ShellResult> RunAsync(
        string fileName, string arguments, string workingDirectory, IDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {arguments} ran past {timeout.TotalSeconds:0} s. Output so far:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new ShellResult(process.ExitCode, output.ToString());
        }
    }
}
