using System.Globalization;
using Orbit.Inference.Bench;

// Real-time inference: the platform's OIP v2 endpoint (gateway → RabbitMQ → worker) beside an in-process baseline,
// driven by the same closed-loop generator. Run through bench/run-inference.sh, which starts both.
//   models DIR                                      write the bench models into DIR
//   run --baseline URL [--platform URL --key KEY]   measure; prints a markdown table per model
//       [--grpc URL]                                and, with the platform's gRPC endpoint, a table over gRPC too
//       [--models "mlp conv"] [--concurrency "1 8 64"] [--duration S] [--warmup S]
//       [--cpu "gateway=PID worker=PID …"]           and a table of the CPU seconds each process used in each row
//   async --platform URL --key KEY --amqp URL      asynchronous predictions against the synchronous path, same run
//       [--concurrency 64] [--duration S] [--warmup S]
//   rest-binary --platform URL --key KEY --baseline URL   the image-sized input as JSON and as binary tensor data, beside the baseline
//       [--concurrency "1 64"] [--duration S] [--warmup S]
//   deploy --platform URL --registry URL --key KEY  time from each deploy's answer to the first 200 (bench/run-deploy.sh)
//       [--versions 5] [--size-mb 10] [--settle S] [--poll-ms 5]
//   load --platform URL --key KEY [--model mlp]     closed-loop load on the platform alone, one line of figures
//       [--concurrency 64] [--duration S] [--warmup S]  (bench/run-statistics.sh platform measures the workers meanwhile)
//   breakdown --platform URL --key KEY --otlp-port P  where one request's time goes at concurrency 1 (bench/run-breakdown.sh)
//       [--requests 300] [--model mlp]
if (args is ["models", var directory])
{
    Directory.CreateDirectory(directory);
    foreach (var model in BenchModels.All)
    {
        File.WriteAllBytes(Path.Combine(directory, model.Name + ".onnx"), model.Write());
    }
    return 0;
}

if (args is ["async", ..])
{
    return await AsyncBench.RunAsync(Option);
}

if (args is ["rest-binary", ..])
{
    return await RestBinaryBench.RunAsync(Option);
}

if (args is ["deploy", ..])
{
    return await DeployBench.RunAsync(Option);
}

if (args is ["load", ..])
{
    var target = new Target("platform", new Uri(Option("--platform") ?? throw new ArgumentException("--platform URL is required")), Option("--key"));
    var model = BenchModels.All.Single(m => m.Key == (Option("--model") ?? "mlp"));
    var result = await LoadGenerator.RunAsync(target, $"/v2/models/{model.Name}/infer", InferRequest.Body(model),
        int.Parse(Option("--concurrency") ?? "64", CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(Option("--warmup") ?? "3", CultureInfo.InvariantCulture)),
        TimeSpan.FromSeconds(double.Parse(Option("--duration") ?? "20", CultureInfo.InvariantCulture)));
    Console.WriteLine(FormattableString.Invariant($"{result.RequestsPerSecond:F0} req/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms {result.FailureSummary}"));
    return result.Failures.Count == 0 ? 0 : 1;
}

if (args is ["breakdown", ..])
{
    return await BreakdownBench.RunAsync(Option);
}

if (args is not ["run", ..])
{
    Console.Error.WriteLine("usage: Orbit.Inference.Bench models DIR | run --baseline URL [--platform URL --key KEY] [--models ...] [--concurrency ...] [--duration S] [--warmup S]");
    return 2;
}

var baseline = new Target("baseline", new Uri(Option("--baseline") ?? throw new ArgumentException("--baseline URL is required")), null);
var platform = Option("--platform") is { } platformUrl ? new Target("platform", new Uri(platformUrl), Option("--key")) : null;
var models = (Option("--models") ?? "mlp conv").Split(' ', StringSplitOptions.RemoveEmptyEntries)
    .Select(key => BenchModels.All.SingleOrDefault(m => m.Key == key) ?? throw new ArgumentException($"unknown model '{key}' (mlp, conv)"))
    .ToList();
var levels = (Option("--concurrency") ?? "1 8 64").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
var duration = TimeSpan.FromSeconds(double.Parse(Option("--duration") ?? "10", CultureInfo.InvariantCulture));
var warmUp = TimeSpan.FromSeconds(double.Parse(Option("--warmup") ?? "3", CultureInfo.InvariantCulture));
var targets = platform is null ? new[] { baseline } : [platform, baseline];
var cpu = ProcessCpu.Parse(Option("--cpu"));
using var grpc = Option("--grpc") is { } grpcUrl && platform is not null ? new GrpcTarget(new Uri(grpcUrl), platform.ApiKey!) : null;

foreach (var model in models)
{
    var path = $"/v2/models/{model.Name}/infer";
    var body = InferRequest.Body(model);
    await CheckAnswersAgreeAsync(model, path, body);
    var grpcRequest = GrpcTarget.Request(model);
    if (grpc is not null)
    {
        await CheckGrpcAgreesAsync(model, path, body, grpcRequest);
    }
    var rows = new List<(int Concurrency, LoadResult? Platform, LoadResult Baseline)>();
    var grpcRows = new List<(int Concurrency, LoadResult? Platform, LoadResult Baseline)>();
    var cpuRows = new List<(int Concurrency, string Door, LoadResult Result)>();
    foreach (var concurrency in levels)
    {
        var results = new Dictionary<string, LoadResult>();
        foreach (var target in targets)
        {
            results[target.Name] = Report(model, concurrency, target.Name, await LoadGenerator.RunAsync(target, path, body, concurrency, warmUp, duration, cpu: cpu));
            cpuRows.Add((concurrency, target.Name == "platform" ? "platform REST" : target.Name, results[target.Name]));
        }
        if (grpc is not null)
        {
            results["grpc"] = Report(model, concurrency, "grpc", await LoadGenerator.RunAsync(() => grpc.SendAsync(grpcRequest), concurrency, warmUp, duration, cpu));
            grpcRows.Add((concurrency, results["grpc"], results["baseline"]));
            cpuRows.Add((concurrency, "platform gRPC", results["grpc"]));
        }
        rows.Add((concurrency, results.GetValueOrDefault("platform"), results["baseline"]));
    }
    ResultTable.Write(Console.Out, model, rows);
    if (grpc is not null)
    {
        ResultTable.Write(Console.Out, model, grpcRows, "gRPC (raw_input_contents)");
    }
    if (cpu is not null)
    {
        ResultTable.WriteCpu(Console.Out, model, cpu.Names.ToList(), cpuRows, duration.TotalSeconds);
    }
}
return 0;

// One request to each side before measuring: both must answer 200 with the same numbers.
async Task CheckAnswersAgreeAsync(BenchModel model, string path, byte[] body)
{
    var answers = new List<float[]>();
    foreach (var target in targets)
    {
        using var client = target.CreateClient(1);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode} for {model.Name}: {text}");
        }
        answers.Add(InferRequest.FirstOutput(text));
    }
    if (answers.Count == 2)
    {
        var difference = answers[0].Zip(answers[1], (a, b) => Math.Abs(a - b)).DefaultIfEmpty(float.PositiveInfinity).Max();
        if (answers[0].Length != answers[1].Length || difference > 1e-4f)
        {
            throw new InvalidOperationException($"{model.Name}: the platform and the baseline disagree (max difference {difference})");
        }
    }
}

static LoadResult Report(BenchModel model, int concurrency, string target, LoadResult result)
{
    Console.Error.WriteLine(FormattableString.Invariant(
        $"{model.Key} c={concurrency} {target}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Milliseconds:F2} ms, p99 {result.P99Milliseconds:F2} ms {result.FailureSummary}"));
    return result;
}

// The gRPC answer must equal the REST one (and so the baseline's).
async Task CheckGrpcAgreesAsync(BenchModel model, string path, byte[] body, Orbit.Gateway.Grpc.Protocol.ModelInferRequest request)
{
    using var client = platform!.CreateClient(1);
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("application/json");
    using var response = await client.PostAsync(path, content);
    var rest = InferRequest.FirstOutput(await response.Content.ReadAsStringAsync());
    var overGrpc = await grpc!.FirstOutputAsync(request);
    var difference = rest.Zip(overGrpc, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(float.PositiveInfinity).Max();
    if (rest.Length != overGrpc.Length || difference > 1e-6f)
    {
        throw new InvalidOperationException($"{model.Name}: gRPC and REST answers disagree (max difference {difference})");
    }
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
