using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orbit.Contracts.Wire;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Async;

/// <summary>
/// Asynchronous predictions through real processes: over HTTP (submit, poll, idempotency), over
/// RabbitMQ from Python (pika) with results on the results exchange, over Kafka from Python
/// (confluent-kafka) against librdkafka's mock cluster; refusals to the error queue and topic.
/// The Python clients are the documented examples themselves (docs/examples/).
/// </summary>
public sealed class AsyncPredictionTests : IClassFixture<AsyncPlatform>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly AsyncPlatform _platform;
    private readonly ITestOutputHelper _output;

    public AsyncPredictionTests(AsyncPlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _output = output;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task A_prediction_posted_over_HTTP_is_accepted_then_polled_to_the_models_output()
    {
        var row = Mlp.RandomRow(new Random(31));
        using var http = Http();

        using var accepted = await SubmitAsync(http, Body(_platform.Model, row));
        var id = await IdOf(accepted);
        var done = await PollAsync(http, id);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"/v1/predictions/{id}", accepted.Headers.Location?.OriginalString);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(Mlp.RunDirect(_platform.ModelPath, row), Output(done.GetProperty("response")));
    }

    [Fact]
    public async Task Predictions_accepted_before_the_gateway_is_killed_are_all_completed_after_it_restarts()
    {
        var worker = _platform.Platform.Pids()["inference-worker-1"];
        var gateway = _platform.Platform.Pids()["gateway"];
        var ids = new List<string>();
        var random = new Random(39);
        // The only worker is paused, so every accepted prediction is still in flight when the gateway dies.
        Signal(worker, "STOP");
        try
        {
            using var http = Http();
            for (var i = 0; i < 20; i++)
            {
                using var accepted = await SubmitAsync(http, Body(_platform.Model, Mlp.RandomRow(random)));
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                ids.Add(await IdOf(accepted));
            }

            foreach (var id in ids)
            {
                Assert.Equal("pending", JsonDocument.Parse(await http.GetStringAsync($"/v1/predictions/{id}")).RootElement.GetProperty("status").GetString());
            }

            Signal(gateway, "KILL");
        }
        finally
        {
            Signal(worker, "CONT");
        }

        await Eventually.GetAsync(() => Task.FromResult(Orbit.EndToEnd.Tests.Platform.Platform.IsAlive(gateway) ? null : "gone"), Within, "the gateway to die");
        await _platform.Platform.OrbitOkAsync("up --workers 1");
        using var after = Http();
        foreach (var id in ids)
        {
            var done = await PollAsync(after, id);
            Assert.Equal("completed", done.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_is_one_prediction_computed_once()
    {
        var row = Mlp.RandomRow(new Random(32));
        var key = "key-" + Guid.NewGuid().ToString("N");
        using var http = Http();

        using var first = await SubmitAsync(http, Body(_platform.Model, row), key);
        using var second = await SubmitAsync(http, Body(_platform.Model, row), key);
        var id = await IdOf(first);
        await PollAsync(http, id);
        using var third = await SubmitAsync(http, Body(_platform.Model, row), key);
        // The result event is published once per computation: after it, a short look finds no second one.
        await Eventually.GetAsync(() => _platform.Results.FindAsync(m => m.Body.Contains(id, StringComparison.Ordinal)), Within, "the result event");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _platform.Results.FindAsync(_ => false);

        Assert.Equal(id, await IdOf(second));
        Assert.Equal(id, await IdOf(third));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(_platform.Results.All(m => m.Body.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_model_is_404_another_tenants_prediction_is_404_and_a_bad_body_is_400_naming_the_field()
    {
        var row = Mlp.RandomRow(new Random(33));
        using var http = Http();
        using var accepted = await SubmitAsync(http, Body(_platform.Model, row));
        var id = await IdOf(accepted);
        using var stranger = Http(await StrangerKeyAsync());

        using var unknown = await SubmitAsync(http, Body("no-such-model", row));
        using var foreign = await stranger.GetAsync($"/v1/predictions/{id}");
        using var noInputs = await SubmitAsync(http, $$"""{"model":"{{_platform.Model}}"}""");
        using var badPriority = await SubmitAsync(http, $$"""{"model":"{{_platform.Model}}","priority":"high","inputs":[]}""");

        Assert.Equal((HttpStatusCode.NotFound, "model"), (unknown.StatusCode, await FieldOf(unknown)));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "inputs"), (noInputs.StatusCode, await FieldOf(noInputs)));
        Assert.Equal((HttpStatusCode.BadRequest, "priority"), (badPriority.StatusCode, await FieldOf(badPriority)));
    }

    [Fact]
    public async Task A_request_published_from_Python_over_RabbitMQ_is_answered_on_the_results_exchange()
    {
        var row = Mlp.RandomRow(new Random(34));

        var result = await RunExampleAsync("predict_rabbitmq.py", new Dictionary<string, string>
        {
            ["ORBIT_AMQP_URL"] = _platform.AmqpUrl,
            ["ORBIT_TENANT"] = "admin",
            ["ORBIT_INPUTS"] = Inputs(row),
        });

        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal(_platform.Model, result.GetProperty("modelName").GetString());
        Assert.Equal(Mlp.RunDirect(_platform.ModelPath, row), Output(result.GetProperty("response")));
    }

    [Fact]
    public async Task The_same_request_id_published_twice_is_computed_once_and_answered_the_same()
    {
        var requestId = "dup-" + Guid.NewGuid().ToString("N");
        var body = Message(requestId, _platform.Model, Mlp.RandomRow(new Random(35)));

        await RabbitInbox.PublishAsync(_platform.AmqpUrl, PredictionAddresses.Requests, body, KeyHeader(_platform.Platform.AdminKey));
        await Eventually.GetAsync(() => _platform.Results.FindAsync(m => m.Body.Contains(requestId, StringComparison.Ordinal)), Within, "the first answer");
        await RabbitInbox.PublishAsync(_platform.AmqpUrl, PredictionAddresses.Requests, body, KeyHeader(_platform.Platform.AdminKey));
        await Eventually.GetAsync(async () =>
        {
            await _platform.Results.FindAsync(_ => false);
            return _platform.Results.All(m => m.Body.Contains(requestId, StringComparison.Ordinal)).Skip(1).FirstOrDefault();
        }, Within, "the second answer");

        var answers = _platform.Results.All(m => m.Body.Contains(requestId, StringComparison.Ordinal)).Select(m => JsonDocument.Parse(m.Body).RootElement).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(answers[0].GetProperty("predictionId").GetString(), answers[1].GetProperty("predictionId").GetString());
        Assert.Equal(answers[0].GetProperty("response").GetRawText(), answers[1].GetProperty("response").GetRawText());
    }

    [Fact]
    public async Task A_message_with_an_invalid_key_goes_to_the_error_queue_with_the_reason_and_is_never_run()
    {
        var requestId = "badkey-" + Guid.NewGuid().ToString("N");

        await RabbitInbox.PublishAsync(_platform.AmqpUrl, PredictionAddresses.Requests,
            Message(requestId, _platform.Model, Mlp.RandomRow(new Random(36))), KeyHeader("orb_not_a_real_key"));
        var refused = await Eventually.GetAsync(() => _platform.Errors.FindAsync(m => m.Body.Contains(requestId, StringComparison.Ordinal)), Within, "the refused message");
        var ran = await RunValidAsync();

        _output.WriteLine(string.Join("\n", refused.Headers.Select(h => $"{h.Key}: {h.Value}")));
        Assert.Contains("x-api-key", refused.Headers["MT-Fault-Message"], StringComparison.Ordinal);
        Assert.DoesNotContain(refused.Headers.Keys, h => h.Equals("x-api-key", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("completed", ran.GetProperty("status").GetString());
        Assert.Empty(_platform.Results.All(m => m.Body.Contains(requestId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_malformed_message_goes_to_the_error_queue_and_consumption_continues()
    {
        var marker = "malformed-" + Guid.NewGuid().ToString("N");

        await RabbitInbox.PublishAsync(_platform.AmqpUrl, PredictionAddresses.Requests, "{\"requestId\": \"" + marker + "\", \"inputs\": ", KeyHeader(_platform.Platform.AdminKey));
        var wrongShape = "shape-" + Guid.NewGuid().ToString("N");
        await RabbitInbox.PublishAsync(_platform.AmqpUrl, PredictionAddresses.Requests,
            $$"""{"requestId":"{{wrongShape}}","modelName":"{{_platform.Model}}","inputs":[{"name":"x","datatype":"FP32","shape":[1,8],"data":[1,2]}]}""",
            KeyHeader(_platform.Platform.AdminKey));
        var malformed = await Eventually.GetAsync(() => _platform.Errors.FindAsync(m => m.Body.Contains(marker, StringComparison.Ordinal)), Within, "the malformed message");
        var misshapen = await Eventually.GetAsync(() => _platform.Errors.FindAsync(m => m.Body.Contains(wrongShape, StringComparison.Ordinal)), Within, "the misshapen message");
        var ran = await RunValidAsync();

        _output.WriteLine(malformed.Headers.GetValueOrDefault("MT-Fault-Message"));
        Assert.False(string.IsNullOrEmpty(malformed.Headers.GetValueOrDefault("MT-Fault-Message")));
        // The key that came with them is not kept in the error queue, whatever the failure (here a body that is not JSON).
        Assert.DoesNotContain(malformed.Headers.Keys, h => h.Equals("x-api-key", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(misshapen.Headers.Keys, h => h.Equals("x-api-key", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("inputs", misshapen.Headers["MT-Fault-Message"], StringComparison.Ordinal);
        Assert.Equal("completed", ran.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_request_produced_from_Python_over_Kafka_is_answered_on_the_results_topic()
    {
        var row = Mlp.RandomRow(new Random(37));

        var result = await RunExampleAsync("predict_kafka.py", new Dictionary<string, string>
        {
            ["ORBIT_KAFKA"] = _platform.Kafka.Bootstrap,
            ["ORBIT_INPUTS"] = Inputs(row),
        });

        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal(Mlp.RunDirect(_platform.ModelPath, row), Output(result.GetProperty("response")));
    }

    [Fact]
    public async Task A_malformed_or_unauthenticated_Kafka_message_goes_to_the_errors_topic_and_consumption_continues()
    {
        var environment = new Dictionary<string, string> { ["ORBIT_KAFKA"] = _platform.Kafka.Bootstrap };

        var malformed = await RunScriptAsync(Path.Combine(RepositoryRoot.Path, "tests", "Orbit.EndToEnd.Tests", "Async", "kafka_error_probe.py"),
            $"'{{not json' malformed-{Guid.NewGuid():N} {_platform.Platform.AdminKey}", environment);
        var unauthenticated = await RunScriptAsync(Path.Combine(RepositoryRoot.Path, "tests", "Orbit.EndToEnd.Tests", "Async", "kafka_error_probe.py"),
            $"'{Message("k", _platform.Model, [1, 2, 3, 4, 5, 6, 7, 8])}' nokey-{Guid.NewGuid():N}", environment);
        var after = await RunExampleAsync("predict_kafka.py", new Dictionary<string, string> { ["ORBIT_KAFKA"] = _platform.Kafka.Bootstrap });

        Assert.Equal("body", malformed.GetProperty("x-orbit-error-field").GetString());
        Assert.Equal("x-api-key", unauthenticated.GetProperty("x-orbit-error-field").GetString());
        Assert.Equal("completed", after.GetProperty("status").GetString());
    }

    private Task<JsonElement> RunValidAsync() => RunExampleAsync("predict_rabbitmq.py", new Dictionary<string, string>
    {
        ["ORBIT_AMQP_URL"] = _platform.AmqpUrl,
        ["ORBIT_TENANT"] = "admin",
    });

    private Task<JsonElement> RunExampleAsync(string example, Dictionary<string, string> environment)
    {
        environment["ORBIT_KEY"] = _platform.Platform.AdminKey;
        environment["ORBIT_MODEL"] = _platform.Model;
        return RunScriptAsync(Path.Combine(RepositoryRoot.Path, "docs", "examples", example), "", environment);
    }

    /// <summary>Runs a Python script with Debian's python3 and returns the JSON line it printed.</summary>
    private async Task<JsonElement> RunScriptAsync(string script, string arguments, Dictionary<string, string> environment)
    {
        var result = await Shell.RunAsync("/bin/sh", $"-c \"/usr/bin/python3 {script} {arguments.Replace("\"", "\\\"", StringComparison.Ordinal)}\"",
            RepositoryRoot.Path, environment, TimeSpan.FromSeconds(120));
        _output.WriteLine($"$ python3 {Path.GetFileName(script)} (exit {result.ExitCode})\n{result.Output}");
        Assert.True(result.ExitCode == 0, result.Output);
        var line = result.Output.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private HttpClient Http(string? key = null)
    {
        var http = new HttpClient { BaseAddress = _platform.Platform.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _platform.Platform.AdminKey);
        return http;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/predictions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> PollAsync(HttpClient http, string id) =>
        await Eventually.GetAsync(async () =>
        {
            var view = await http.GetFromJsonAsync<JsonElement>($"/v1/predictions/{id}");
            return view.GetProperty("status").GetString() == "pending" ? (object?)null : view;
        }, Within, $"prediction {id} to finish") is JsonElement done ? done : default;

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string?> FieldOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("field", out var field) ? field.GetString() : null;

    private static float[] Output(JsonElement response) =>
        response.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle()).ToArray();

    private static string Data(float[] row) => string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static string Inputs(float[] row) => $$"""[{"name":"x","datatype":"FP32","shape":[1,{{row.Length}}],"data":[{{Data(row)}}]}]""";

    private static string Body(string model, float[] row) => $$"""{"model":"{{model}}","inputs":{{Inputs(row)}}}""";

    private static string Message(string requestId, string model, float[] row) =>
        $$"""{"requestId":"{{requestId}}","modelName":"{{model}}","inputs":{{Inputs(row)}}}""";

    private static Dictionary<string, object?> KeyHeader(string key) => new() { ["x-api-key"] = key };

    private async Task<string> StrangerKeyAsync()
    {
        using var admin = Http();
        var tenant = "t-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/v1/tenants", new { id = tenant })).EnsureSuccessStatusCode();
        var created = await (await admin.PostAsJsonAsync("/v1/keys", new { role = "predictor", tenantId = tenant })).Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("key").GetString()!;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {pid}")!;
        kill.WaitForExit();
    }
}
