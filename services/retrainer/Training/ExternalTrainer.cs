using System.Diagnostics;
using System.Text.Json;

namespace Orbit.Retrainer.Training;

/// <summary>
/// Runs a team's own trainer: <c>COMMAND [ARGS…] DATA_DIR OUT_DIR</c>. DATA_DIR holds <c>train.csv</c> (a header of the
/// feature names then <c>label</c>; one row per example, numbers in invariant culture) and <c>schema.json</c>
/// (<c>{"task": "binary-classification"|"regression", "features": [...], "label": "label"}</c>). The trainer writes
/// <c>OUT_DIR/model.onnx</c> and <c>OUT_DIR/metrics.json</c> (a JSON object of numbers) and exits 0. Its stdout and
/// stderr go to <c>trainer.log</c> beside OUT_DIR. Past the time limit the whole process tree is killed.
/// </summary>
internal sealed class ExternalTrainer(TimeProvider time)
{
    public const string LogFileName = "trainer.log";

    /// <exception cref="TrainerFailedException">It crashed, hung, or wrote no usable output; the message says which.</exception>
    public async Task<TrainedModel> TrainAsync(
        ExternalTrainerSettings settings, TrainingTable table, string workDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        var outDirectory = Path.Combine(workDirectory, "out");
        Directory.CreateDirectory(dataDirectory);
        Directory.CreateDirectory(outDirectory);
        await WriteDataAsync(table, dataDirectory, cancellationToken);

        var logPath = Path.Combine(workDirectory, LogFileName);
        var start = new ProcessStartInfo(settings.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (var argument in settings.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(dataDirectory);
        start.ArgumentList.Add(outDirectory);

        using var process = new Process { StartInfo = start };
        await using (var log = new StreamWriter(logPath, append: false) { AutoFlush = true })
        {
            var gate = new object();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.WriteLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.WriteLine(e.Data); } } };
            try
            {
                process.Start();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new TrainerFailedException($"The trainer '{settings.Command}' could not start: {ex.Message}");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(settings.TimeoutSeconds), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                throw new TrainerFailedException(
                    $"The trainer ran past its limit of {settings.TimeoutSeconds} s and was killed; its log is {logPath}.");
            }

            // The asynchronous readers may still hold the last lines; this waits for them.
            process.WaitForExit();
        }

        if (process.ExitCode != 0)
        {
            throw new TrainerFailedException(
                $"The trainer exited with code {process.ExitCode}{Signal(process.ExitCode)}; last lines of {logPath}: {Tail(logPath)}");
        }

        var modelPath = Path.Combine(outDirectory, "model.onnx");
        if (!File.Exists(modelPath) || new FileInfo(modelPath).Length == 0)
        {
            throw new TrainerFailedException("The trainer exited 0 but wrote no OUT_DIR/model.onnx.");
        }

        var metrics = await ReadMetricsAsync(Path.Combine(outDirectory, "metrics.json"), cancellationToken);
        return new TrainedModel(await File.ReadAllBytesAsync(modelPath, cancellationToken), metrics, "external:" + Path.GetFileName(settings.Command));
    }

    public static async Task WriteDataAsync(TrainingTable table, string directory, CancellationToken cancellationToken)
    {
        await using (var csv = File.Create(Path.Combine(directory, "train.csv")))
        {
            await Data.CanonicalCsv.WriteAsync(table, csv, cancellationToken);
        }

        var schema = new
        {
            task = table.Task == LearningTask.BinaryClassification ? "binary-classification" : "regression",
            features = table.FeatureNames,
            label = Data.CanonicalCsv.LabelColumn,
        };
        await File.WriteAllTextAsync(Path.Combine(directory, "schema.json"), JsonSerializer.Serialize(schema), cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<string, double>> ReadMetricsAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TrainerFailedException("The trainer exited 0 but wrote no OUT_DIR/metrics.json.");
        }

        try
        {
            var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(await File.ReadAllTextAsync(path, cancellationToken));
            return metrics ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new TrainerFailedException($"OUT_DIR/metrics.json is not a JSON object of numbers: {ex.Message}");
        }
    }

    private static string Signal(int exitCode) => exitCode > 128 && exitCode < 160 ? $" (signal {exitCode - 128})" : "";

    private static string Tail(string path)
    {
        var lines = File.ReadAllLines(path);
        var tail = string.Join(" | ", lines.TakeLast(5));
        return tail.Length == 0 ? "(empty)" : tail.Length > 1000 ? tail[^1000..] : tail;
    }
}

/// <summary>An external trainer: the command (an absolute path, or a name on PATH), its leading arguments and its time limit.</summary>
public sealed class ExternalTrainerSettings
{
    public string Command { get; set; } = "";

    public List<string> Arguments { get; set; } = [];

    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int TimeoutSeconds { get; set; } = 1800;
}

/// <summary>A training run that produced no usable model; the message is the recorded reason.</summary>
internal sealed class TrainerFailedException(string message) : Exception(message);
