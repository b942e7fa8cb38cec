using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Orbit.Cli.Demo;

/// <summary>
/// Real-time clients of the model for the whole demo (and the closed-loop test): each request scores <see cref="RowsPerRequest"/> rows through the
/// gateway's OIP endpoint, and its ground truth is posted to <c>/v1/outcomes</c> right after, as an upstream system
/// would. Every answer that is not a success is counted (the scenario's goal is none).
/// </summary>
internal sealed class RealtimeTraffic : IAsyncDisposable
{
    public const int RowsPerRequest = 8;

    private readonly HttpClient _http;
    private readonly string _model;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private readonly List<string> _failures = [];
    private long _served;
    private volatile bool _shifted;

    public RealtimeTraffic(Uri gateway, string key, string model, int clients, TimeSpan pause)
    {
        _http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _model = model;
        for (var c = 0; c < clients; c++)
        {
            var seed = c;
            _clients.Add(Task.Run(() => RunAsync(seed, pause)));
        }
    }

    public long Served => Interlocked.Read(ref _served);

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

    /// <summary>From now on the clients draw from distribution B, and the outcomes follow B's rule.</summary>
    public void Shift() => _shifted = true;

    private async Task RunAsync(int seed, TimeSpan pause)
    {
        var random = new Random(1000 + seed);
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var shifted = _shifted;
            var id = $"rt-{seed}-{n++}";
            var rows = Enumerable.Range(0, RowsPerRequest).Select(_ => DemoWorld.Row(random, shifted)).ToArray();
            try
            {
                var data = string.Join(",", rows.SelectMany(r => r).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                var infer = $$"""{"id":"{{id}}","inputs":[{"name":"Features","datatype":"FP32","shape":[{{RowsPerRequest}},{{DemoWorld.Features}}],"data":[{{data}}]}]}""";
                using (var response = await _http.PostAsync($"/v2/models/{_model}/infer", Json(infer), _stop.Token))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        Fail($"{id}: infer {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        continue;
                    }
                }

                Interlocked.Increment(ref _served);
                var outcomes = string.Join(",", rows.Select((r, i) => $$"""{"requestId":"{{id}}","model":"{{_model}}","row":{{i}},"label":"{{DemoWorld.Label(r, shifted)}}"}"""));
                using var posted = await _http.PostAsync("/v1/outcomes", Json($"[{outcomes}]"), _stop.Token);
                if (!posted.IsSuccessStatusCode)
                {
                    Fail($"{id}: outcomes {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
                }

                await Task.Delay(pause, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Fail($"{id}: {ex.GetType().Name} {ex.Message}");
            }
        }
    }

    private void Fail(string failure)
    {
        lock (_failures)
        {
            _failures.Add(failure);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Stops the clients and waits for them; what they counted stays readable.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_clients);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
