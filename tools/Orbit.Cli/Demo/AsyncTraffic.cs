using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Orbit.Cli.Demo;

/// <summary>
/// An asynchronous client for the whole demo: it submits a prediction to <c>POST /v1/predictions</c>, polls
/// <c>GET /v1/predictions/{id}</c> until it completes, and counts what completed and what did not.
/// </summary>
internal sealed class AsyncTraffic : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _model;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _client;
    private readonly List<string> _failures = [];
    private long _completed;

    public AsyncTraffic(Uri gateway, string key, string model, TimeSpan pause)
    {
        _http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _model = model;
        _client = Task.Run(() => RunAsync(pause));
    }

    public long Completed => Interlocked.Read(ref _completed);

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    private async Task RunAsync(TimeSpan pause)
    {
        var random = new Random(77);
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var id = $"async-{n++}";
            try
            {
                var row = DemoWorld.Row(random, shifted: false);
                var data = string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                var body = $$"""{"model":"{{_model}}","id":"{{id}}","inputs":[{"name":"Features","datatype":"FP32","shape":[1,{{DemoWorld.Features}}],"data":[{{data}}]}]}""";
                using var submitted = await _http.PostAsync("v1/predictions", new StringContent(body, Encoding.UTF8, "application/json"), _stop.Token);
                if (!submitted.IsSuccessStatusCode)
                {
                    Fail($"{id}: submit {(int)submitted.StatusCode} {await submitted.Content.ReadAsStringAsync()}");
                    continue;
                }

                var location = submitted.Headers.Location?.ToString() ?? throw new InvalidOperationException("202 without a Location");
                await FollowAsync(id, location);
                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException)
            {
                Fail($"{id}: {ex.GetType().Name} {ex.Message}");
            }
        }
    }

    private async Task FollowAsync(string id, string location)
    {
        for (var poll = 0; poll < 300; poll++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _stop.Token);
            using var state = JsonDocument.Parse(await _http.GetStringAsync(location, _stop.Token));
            switch (state.RootElement.GetProperty("status").GetString())
            {
                case "completed":
                    Interlocked.Increment(ref _completed);
                    return;
                case "failed":
                    Fail($"{id}: failed {state.RootElement.GetRawText()}");
                    return;
            }
        }

        Fail($"{id}: still pending after 30 s");
    }

    private void Fail(string failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
