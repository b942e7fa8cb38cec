using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Orbit.Onnx;
using Orbit.Onnx.Bench;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

// Per-Run cost of Orbit.Onnx over the official binding (Microsoft.ML.OnnxRuntime) through its three OrtValue paths,
// against onnxruntime-node on the same models and settings.
var samples = IntOption("--samples", 15);
var warmUp = TimeSpan.FromMilliseconds(IntOption("--warmup-ms", 700));
var rounds = IntOption("--rounds", 3);
var skipPeer = args.Contains("--skip-peer");
var root = FindRepositoryRoot();
var work = Directory.CreateDirectory(Path.Combine(root, "bench", ".run")).FullName;
var options = new SessionOptions { IntraOpThreads = 1, InterOpThreads = 1, OptimizationLevel = GraphOptimizationLevel.All };

var mlp = Path.Combine(work, "mlp3x256.onnx");
File.WriteAllBytes(mlp, BenchModels.Mlp());
var conv = Path.Combine(work, "conv16.onnx");
File.WriteAllBytes(conv, BenchModels.Conv());
var cases = new List<BenchCase>();
var add = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
if (File.Exists(add))
{
    cases.Add(new BenchCase("tiny: node/test_add [3,4,5]", add, [new("x", [3, 4, 5]), new("y", [3, 4, 5])]));
}
else
{
    Console.Error.WriteLine($"{add} is missing (./orbit deps installs libonnx-testdata); the tiny case is skipped.");
}
cases.Add(new BenchCase("MLP 3x256, batch 1", mlp, [new("x", [1, BenchModels.Width])]));
cases.Add(new BenchCase("MLP 3x256, batch 64", mlp, [new("x", [64, BenchModels.Width])]));
cases.Add(new BenchCase("Conv 16x3x3, 1x3x64x64", conv, [new("x", [1, 3, 64, 64])]));

if (args.Contains("--case"))
{
    var filter = args[Array.IndexOf(args, "--case") + 1];
    cases.RemoveAll(c => !c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase));
}

// Rounds alternate ours and the peer, so load from anything else on the machine hits both alike; the median round counts.
OnnxRuntime.EnsureStarted();
var ourRounds = new List<(double Allocated, double Preallocated, double Bound)[]>();
var peerRounds = new List<(double[] Medians, string Version, string Node, string LibrarySha256)>();
for (var round = 1; round <= rounds; round++)
{
    var measured = new (double Allocated, double Preallocated, double Bound)[cases.Count];
    for (var i = 0; i < cases.Count; i++)
    {
        measured[i] = MeasureOurs(cases[i]);
        Console.Error.WriteLine($"round {round} ours  {cases[i].Name}: {measured[i].Allocated:F2} µs (ORT allocates), {measured[i].Preallocated:F2} µs (preallocated), {measured[i].Bound:F2} µs (IOBinding)");
    }
    ourRounds.Add(measured);
    if (!skipPeer && MeasurePeer(cases) is { } peerRound)
    {
        peerRounds.Add(peerRound);
    }
}
var ours = Enumerable.Range(0, cases.Count)
    .Select(i => (Allocated: Median(ourRounds.Select(r => r[i].Allocated)), Preallocated: Median(ourRounds.Select(r => r[i].Preallocated)),
        Bound: Median(ourRounds.Select(r => r[i].Bound))))
    .ToList();
(double[] Medians, string Version, string Node, string LibrarySha256)? peer = peerRounds.Count == 0
    ? null
    : (Enumerable.Range(0, cases.Count).Select(i => Median(peerRounds.Select(r => r.Medians[i]))).ToArray(),
        peerRounds[0].Version, peerRounds[0].Node, peerRounds[0].LibrarySha256);

Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}");
var library = Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so");
Console.WriteLine($"runtime: ONNX Runtime {OnnxRuntime.Version} (NuGet Microsoft.ML.OnnxRuntime, {library}, sha256 {Sha256(library)}), .NET {Environment.Version}");
if (peer is not null)
{
    Console.WriteLine($"peer:    onnxruntime-node {peer.Value.Version} on node {peer.Value.Node} (libonnxruntime sha256 {peer.Value.LibrarySha256})");
}
Console.WriteLine($"settings: intra-op 1, inter-op 1, sequential, optimization all; per round the median of {samples} samples (~50 ms each) after {warmUp.TotalMilliseconds} ms warm-up; median of {rounds} alternating rounds");
Console.WriteLine();
Console.WriteLine("| case | OrtValue Run µs | preallocated outputs µs | IOBinding µs | onnxruntime-node µs | ratio OrtValue Run/peer |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
for (var i = 0; i < cases.Count; i++)
{
    var theirs = peer?.Medians[i];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {cases[i].Name} | {ours[i].Allocated:F2} | {ours[i].Preallocated:F2} | {ours[i].Bound:F2} | {(theirs is null ? "-" : theirs.Value.ToString("F2", CultureInfo.InvariantCulture))} | {(theirs is null ? "-" : (ours[i].Allocated / theirs.Value).ToString("F3", CultureInfo.InvariantCulture))} |"));
}
return 0;

(double Allocated, double Preallocated, double Bound) MeasureOurs(BenchCase benchCase)
{
    using var session = OnnxSession.FromFile(benchCase.ModelPath, options);
    var inputs = benchCase.Inputs.Select(i => OnnxTensor.FromArray(i.Values(), i.Shape)).ToArray();
    using var first = session.Run(inputs);
    var outputs = first.Select(o => OnnxTensor.Allocate<float>(o.Shape)).ToArray();
    try
    {
        // Every variant reads one output element, as a caller would (and as the peer's materialized result allows).
        var sink = 0f;
        var allocated = Measure.MedianMicroseconds(() =>
        {
            using var result = session.Run(inputs);
            sink += result[0].AsSpan<float>()[0];
        }, samples, warmUp);
        var preallocated = Measure.MedianMicroseconds(() =>
        {
            session.Run(inputs, outputs);
            sink += outputs[0].AsSpan<float>()[0];
        }, samples, warmUp);
        using var binding = session.Bind();
        for (var i = 0; i < inputs.Length; i++)
        {
            binding.BindInput(i, inputs[i]);
        }
        for (var o = 0; o < outputs.Length; o++)
        {
            binding.BindOutput(o, outputs[o]);
        }
        var bound = Measure.MedianMicroseconds(() =>
        {
            binding.Run();
            sink += outputs[0].AsSpan<float>()[0];
        }, samples, warmUp);
        GC.KeepAlive(sink);
        return (allocated, preallocated, bound);
    }
    finally
    {
        foreach (var tensor in inputs.Concat(outputs))
        {
            tensor.Dispose();
        }
    }
}

(double[] Medians, string Version, string Node, string LibrarySha256)? MeasurePeer(IReadOnlyList<BenchCase> benchCases)
{
    var script = Path.Combine(root, "bench", "peers", "bench.mjs");
    var spec = Path.Combine(work, "peer-spec.json");
    File.WriteAllText(spec, JsonSerializer.Serialize(new
    {
        samples,
        warmupMs = warmUp.TotalMilliseconds,
        cases = benchCases.Select(c => new { name = c.Name, model = c.ModelPath, inputs = c.Inputs.Select(i => new { name = i.Name, shape = i.Shape }) }),
    }));
    using var node = Process.Start(new ProcessStartInfo("node", [script, spec]) { RedirectStandardOutput = true })
        ?? throw new InvalidOperationException("node did not start");
    var output = node.StandardOutput.ReadToEnd();
    node.WaitForExit();
    if (node.ExitCode != 0)
    {
        Console.Error.WriteLine($"The peer benchmark failed (exit {node.ExitCode}); run bench/run-onnx.sh, which installs onnxruntime-node.");
        return null;
    }
    using var json = JsonDocument.Parse(output);
    var medians = json.RootElement.GetProperty("medians").EnumerateArray().Select(m => m.GetDouble()).ToArray();
    var library = json.RootElement.GetProperty("library").GetString()!;
    return (medians, json.RootElement.GetProperty("version").GetString()!, json.RootElement.GetProperty("node").GetString()!,
        File.Exists(library) ? Sha256(library) : "?");
}

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (Directory.Exists(Path.Combine(dir.FullName, "bench", "peers")))
        {
            return dir.FullName;
        }
    }
    throw new DirectoryNotFoundException("Run from inside the repository (bench/peers not found above the current directory).");
}

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : RuntimeInformation.ProcessArchitecture.ToString();

static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16];
