using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Orbit.Batch.Bench;

/// <summary>The platform side: submit a CSV as a batch job through the gateway, wait for it, download its output.</summary>
internal sealed class PlatformJobs(Uri gateway, string key) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(30), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };

    public HttpClient Http => _http;

    public async Task<string> SubmitAsync(string csv, string model, int chunkSize)
    {
        await using var file = File.OpenRead(csv);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(model), "model" },
            { new StringContent(chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), "chunkSize" },
            { new StringContent("id"), "keep" },
            { new StreamContent(file), "file", "rows.csv" },
        };
        using var response = await _http.PostAsync("/v1/batch-jobs", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"submit failed: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetAsync(string id)
    {
        using var response = await _http.GetAsync($"/v1/batch-jobs/{id}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Polls until the job ends; its final state.</summary>
    public async Task<JsonElement> WaitAsync(string id, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var job = await GetAsync(id);
            if (job.GetProperty("state").GetString() is "completed" or "failed" or "cancelled")
            {
                return job;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"job {id} did not end within {limit}: {job}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<long> RowsDoneAsync(string id) => (await GetAsync(id)).GetProperty("rowsDone").GetInt64();

    public async Task DownloadAsync(string id, string path)
    {
        using var response = await _http.GetAsync($"/v1/batch-jobs/{id}/output", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var file = File.Create(path);
        await response.Content.CopyToAsync(file);
    }

    public async Task CancelAsync(string id) => (await _http.PostAsync($"/v1/batch-jobs/{id}/cancel", null)).Dispose();

    public void Dispose() => _http.Dispose();
}
