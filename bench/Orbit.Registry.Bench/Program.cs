using System.Globalization;
using Orbit.Registry.Bench;

// Model-upload throughput of the registry (a real Release process) beside `cp` of the same file on the same filesystem.
var runs = IntOption("--runs", 5);
var sizeMb = IntOption("--size-mb", 100);
var root = FindRepositoryRoot();
var work = Directory.CreateTempSubdirectory("orbit-registry-bench-").FullName;
var samples = new List<UploadSample>();
try
{
    Console.Error.WriteLine($"writing a {sizeMb} MB model; registry data and copies under {work}");
    var model = new UploadModel(sizeMb);
    await using var registry = await RegistryProcess.StartAsync(root, Path.Combine(work, "data"));
    using var http = registry.CreateClient();
    var measure = new UploadMeasure(http, work);
    for (var run = 0; run <= runs; run++)
    {
        var source = Path.Combine(work, $"model-{run}.onnx");
        model.Write(source, run);
        var sample = await measure.RunAsync(source);
        File.Delete(source);
        Console.Error.WriteLine($"{(run == 0 ? "warm-up" : $"run {run}")}: {sample}");
        if (run > 0)
        {
            samples.Add(sample);
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

var megabytes = samples[0].Bytes / 1e6;
double Median(Func<UploadSample, double> pick)
{
    var sorted = samples.Select(pick).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

var cpSync = Median(s => s.Cp + s.Sync);
var upload = Median(s => s.Upload);
Console.WriteLine($"File: {samples[0].Bytes:N0} bytes; MB = 10^6 bytes; median of {samples.Count} runs after 1 warm-up.");
Console.WriteLine();
Console.WriteLine("| | median s | MB/s | MB/s, slowest–fastest run | upload MB/s ÷ this |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Row("`cp`", s => s.Cp);
Row("`cp` then `sync FILE`", s => s.Cp + s.Sync);
Row("upload (POST → 201)", s => s.Upload);
Console.WriteLine();
Console.WriteLine("Parts of the upload's work, each timed alone in the bench process on the same file:");
Console.WriteLine();
Console.WriteLine("| part | median s | share of upload |");
Console.WriteLine("|---|---:|---:|");
Part("write + fsync a copy (`cp` then `sync FILE`)", cpSync);
Part("SHA-256 of the file (from the page cache)", Median(s => s.Sha256));
Part("ONNX Runtime session load (the registry's options)", Median(s => s.OrtLoad));
Part("rest, by subtraction per run: loopback HTTP, multipart parsing, rename, DB row", Median(s => s.Upload - s.Cp - s.Sync - s.Sha256 - s.OrtLoad));
return 0;

void Row(string name, Func<UploadSample, double> pick)
{
    var seconds = Median(pick);
    var (slowest, fastest) = (samples.Max(pick), samples.Min(pick));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {seconds:F3} | {megabytes / seconds:F0} | {megabytes / slowest:F0}–{megabytes / fastest:F0} | {seconds / upload:F2} |"));
}

void Part(string name, double seconds) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds:F3} | {seconds / upload:P0} |"));

int IntOption(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the bench from inside the Orbit repository (Microservices.sln not found above it).");
}
