using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using Orbit.Cli.Drift;
using Orbit.Cli.Registry;
using Orbit.Contracts.Drift;
using Spectre.Console;

namespace Orbit.Cli.Tests.Drift;

/// <summary>
/// <c>drift show</c> and <c>drift history</c> against an HTTP handler that answers as the drift monitor's API does (the
/// monitor itself is tested in Orbit.DriftMonitor.Tests): paths, the key, rendering and problems.
/// </summary>
public sealed class DriftShowCommandTests
{
    private static readonly DriftVersionView Version = new(
        "acme", "churn", 3, "warning", null, 1834, 300, DateTimeOffset.Parse("2026-11-30T07:20:00Z", System.Globalization.CultureInfo.InvariantCulture),
        [
            new FeatureDriftView("age", "numeric", "warning", "psi", 0.169, 0.1, 0.25,
                new Dictionary<string, double?> { ["psi"] = 0.169, ["js"] = 0.14, ["ks"] = 0.16, ["kl"] = 0.08 }, 1834,
                new HistogramView([1.0], [900, 934], null), new HistogramView([1.0], [1000, 1000], null),
                [new ScorePointView(DateTimeOffset.Parse("2026-11-30T07:19:30Z", System.Globalization.CultureInfo.InvariantCulture), "ok", 1790,
                    new Dictionary<string, double?> { ["psi"] = 0.12345, ["ks_pvalue"] = 0.5 })]),
        ],
        [new DriftAlertView("age", "psi", "ok", "warning", 0.169, 0.1, 1834, DateTimeOffset.Parse("2026-11-30T07:20:00Z", System.Globalization.CultureInfo.InvariantCulture))]);

    [Fact]
    public async Task Show_prints_each_feature_with_its_test_and_level_and_asks_the_drift_path_with_the_key()
    {
        var handler = new Answer(HttpStatusCode.OK, JsonSerializer.Serialize(new DriftModelView("acme", "churn", [Version]), JsonSerializerOptions.Web));

        var run = await RunAsync(handler, "drift", "show", "churn", "--key", "k-1", "--url", "http://orbit.test/");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("http://orbit.test/v1/drift/churn", handler.Requests.Single());
        Assert.Equal("Bearer k-1", handler.Authorization);
        Assert.Contains("churn v3: warning; 1834 rows in the last 300 s", run.Out);
        Assert.Contains("age", run.Out);
        Assert.Contains("0.169", run.Out);
        Assert.Contains("ok -> warning", run.Out);
    }

    [Fact]
    public async Task History_asks_for_one_feature_of_one_version_and_prints_its_series()
    {
        var handler = new Answer(HttpStatusCode.OK, JsonSerializer.Serialize(Version, JsonSerializerOptions.Web));

        var run = await RunAsync(handler, "drift", "history", "churn", "--feature", "age", "--version", "3", "--key", "k", "--url", "http://orbit.test/");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Equal("http://orbit.test/v1/drift/churn/versions/3?feature=age", handler.Requests.Single());
        Assert.Contains("0.1235", run.Out);
        Assert.Contains("2026-11-30 07:19:30Z", run.Out);
    }

    [Fact]
    public async Task Json_prints_the_answer_as_received()
    {
        var body = JsonSerializer.Serialize(Version, JsonSerializerOptions.Web);
        var run = await RunAsync(new Answer(HttpStatusCode.OK, body), "drift", "show", "churn", "--version", "3", "--json", "--key", "k", "--url", "http://orbit.test/");

        Assert.Equal(0, run.Exit);
        Assert.Equal(body, run.Out.Trim());
    }

    [Fact]
    public async Task Another_tenants_model_prints_the_problem_and_exits_1()
    {
        var problem = """{"type":"urn:orbit:problem:not-found","title":"Not found","status":404,"detail":"model 'churn' has no drift data"}""";
        var run = await RunAsync(new Answer(HttpStatusCode.NotFound, problem), "drift", "show", "churn", "--key", "k", "--url", "http://orbit.test/");

        Assert.Equal(1, run.Exit);
        Assert.Contains("model 'churn' has no drift data", run.Error);
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(Answer handler, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        AnsiConsole.Console.Profile.Width = 250;
        var root = new RootCommand { DriftCommands.Create(_ => new HttpClient(handler), errors) };
        var exit = await root.Parse(args).InvokeAsync();
        return (exit, output.ToString(), errors.ToString());
    }

    private sealed class Answer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        public string? Authorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.ToString());
            Authorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
