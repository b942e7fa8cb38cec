using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Orbit.EndToEnd.Tests.Inference;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.EndToEnd.Tests.Batch;

/// <summary>
/// <c>./orbit up --workers 2</c> with a small batch input limit (for the 413 test), and the e2e MLP deployed with
/// metadata naming its features f0…f7. Helpers write CSV inputs and call <c>/v1/batch-jobs</c> through the gateway.
/// </summary>
public sealed class BatchPlatform : IAsyncLifetime
{
    public const long MaxInputBytes = 2_000_000;

    public Platform.Platform Platform { get; private set; } = null!;

    public string Files { get; } = Directory.CreateTempSubdirectory("orbit-e2e-batch-").FullName;

    public string Model { get; } = "bmlp-" + Guid.NewGuid().ToString("N")[..8];

    public string ModelPath => Path.Combine(Files, "mlp-31.onnx");

    public string RegistryData => Path.Combine(Platform.RunDir, "data", "registry");

    public async Task InitializeAsync()
    {
        Platform = await Orbit.EndToEnd.Tests.Platform.Platform.CreateAsync();
        Platform.Environment["Orbit__Registry__Batch__MaxInputBytes"] = MaxInputBytes.ToString(CultureInfo.InvariantCulture);
        await Platform.OrbitOkAsync("up --workers 2");
        Mlp.Write(Files, 31);
        var metadata = Path.Combine(Files, "metadata.json");
        await File.WriteAllTextAsync(metadata, "{\"features\": [" + string.Join(", ", Enumerable.Range(0, Mlp.Features).Select(i => $"{{\"name\": \"f{i}\", \"type\": \"numeric\"}}")) + "]}");
        await Platform.OrbitOkAsync($"models push {Model} {ModelPath} --metadata {metadata}");
        await Platform.OrbitOkAsync($"deploy {Model} --stable 1");
        await WaitForWorkersAsync(2);
    }

    /// <summary>Waits until <paramref name="count"/> live workers have the model loaded (after a start, or a restart of one).</summary>
    public async Task WaitForWorkersAsync(int count)
    {
        using var http = Client(Platform.AdminKey);
        await Eventually.GetAsync(async () =>
        {
            var workers = JsonDocument.Parse(await http.GetStringAsync("/v1/workers")).RootElement.GetProperty("items");
            var serving = workers.EnumerateArray().Count(w => w.GetProperty("loadedModels").EnumerateArray().Any(m => m.GetProperty("modelName").GetString() == Model));
            return serving >= count ? "warm" : null;
        }, TimeSpan.FromSeconds(90), $"{count} workers to load {Model}");
    }

    public HttpClient Client(string? key = null)
    {
        var http = new HttpClient { BaseAddress = Platform.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Platform.AdminKey);
        return http;
    }

    /// <summary>A CSV of <paramref name="rows"/> rows: id, f0…f7, label; the rows in <paramref name="bad"/> have a value that is not a number.</summary>
    public (string Path, List<float[]> Rows) WriteCsv(int rows, int seed, ISet<int>? bad = null, string? name = null)
    {
        var random = new Random(seed);
        var path = Path.Combine(Files, name ?? $"input-{Guid.NewGuid():N}.csv");
        var values = new List<float[]>();
        var text = new StringBuilder("id," + string.Join(',', Enumerable.Range(0, Mlp.Features).Select(i => $"f{i}")) + ",label\n");
        for (var r = 0; r < rows; r++)
        {
            var row = Mlp.RandomRow(random);
            values.Add(row);
            var cells = row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
            if (bad?.Contains(r) == true)
            {
                cells[3] = "n/a";
            }

            text.Append("id").Append(r).Append(',').Append(string.Join(',', cells)).Append(',').Append(r % 2).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return (path, values);
    }

    /// <param name="path">The input to send as the 'file' part; null sends none (a 'fileId' among the fields names it).</param>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SubmitAsync(string? path, IDictionary<string, string>? fields = null, string? key = null, string? fileName = null)
    {
        using var http = Client(key);
        using var content = new MultipartFormDataContent();
        var all = new Dictionary<string, string> { ["model"] = Model, ["keep"] = "id" };
        foreach (var (k, v) in fields ?? new Dictionary<string, string>())
        {
            all[k] = v;
        }

        foreach (var (k, v) in all)
        {
            content.Add(new StringContent(v), k);
        }

        if (path is not null)
        {
            content.Add(new ByteArrayContent(await File.ReadAllBytesAsync(path)), "file", fileName ?? Path.GetFileName(path));
        }

        using var response = await http.PostAsync("/v1/batch-jobs", content);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    public async Task<JsonElement> GetAsync(string id, string? key = null)
    {
        using var http = Client(key);
        return JsonDocument.Parse(await http.GetStringAsync($"/v1/batch-jobs/{id}")).RootElement.Clone();
    }

    public async Task<JsonElement> WaitAsync(string id, TimeSpan? limit = null)
    {
        var json = await Eventually.GetAsync(async () =>
        {
            var job = await GetAsync(id);
            return job.GetProperty("state").GetString() is "completed" or "failed" or "cancelled" ? job.GetRawText() : null;
        }, limit ?? TimeSpan.FromMinutes(3), $"batch job {id} to end");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public Task WaitForRowsAsync(string id, long rows) => Eventually.GetAsync(async () =>
    {
        var job = await GetAsync(id);
        return job.GetProperty("rowsDone").GetInt64() >= rows || job.GetProperty("state").GetString() != "running" && job.GetProperty("state").GetString() != "preparing" ? "started" : null;
    }, TimeSpan.FromSeconds(90), $"batch job {id} to do {rows} rows");

    public async Task<(HttpStatusCode Status, string Body)> DownloadAsync(string id, string what = "output", string? key = null)
    {
        using var http = Client(key);
        using var response = await http.GetAsync($"/v1/batch-jobs/{id}/{what}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>How many messages wait in <paramref name="queue"/> on the platform's broker; null when it does not exist.</summary>
    public async Task<uint?> MessageCountAsync(string queue)
    {
        var url = Platform.Environment.GetValueOrDefault("Orbit__RabbitMq__Url") ?? TestInfrastructure.RabbitMqUrl;
        await using var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    public async Task DisposeAsync()
    {
        Platform.Output = null;
        await Platform.DisposeAsync();
        Directory.Delete(Files, recursive: true);
    }
}
