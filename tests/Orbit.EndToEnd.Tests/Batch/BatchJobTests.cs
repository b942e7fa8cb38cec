using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Orbit.EndToEnd.Tests.Inference;
using Xunit.Abstractions;

namespace Orbit.EndToEnd.Tests.Batch;

/// <summary>Batch jobs through the real gateway, registry and two workers: results, resume after kill -9, bad rows, cancel, bad input.</summary>
public sealed class BatchJobTests : IClassFixture<BatchPlatform>
{
    private readonly BatchPlatform _platform;

    public BatchJobTests(BatchPlatform platform, ITestOutputHelper output)
    {
        _platform = platform;
        _platform.Platform.Output = output;
    }

    [Fact]
    public async Task A_csv_submitted_with_the_cli_completes_and_its_output_has_every_row_once_in_input_order()
    {
        var (input, rows) = _platform.WriteCsv(3000, seed: 1);
        var output = Path.Combine(_platform.Files, "cli-output.csv");

        var printed = await _platform.Platform.OrbitOkAsync($"batch submit {input} --model {_platform.Model} --keep id --chunk-size 250 --follow --output {output}");

        Assert.Contains("completed: 3,000 of 3,000 rows done, 0 failed", printed);
        // Chunks and their answers travel in the binary wire format: none failed to be read on either side.
        var chunkQueue = $"batch.admin.{_platform.Model}";
        Assert.NotNull(await _platform.MessageCountAsync(chunkQueue));
        Assert.Equal(0u, await _platform.MessageCountAsync(chunkQueue + "_error") ?? 0);
        Assert.Equal(0u, await _platform.MessageCountAsync("registry.batch-chunk-results_error") ?? 0);
        var result = BatchOutput.Parse(await File.ReadAllTextAsync(output));
        result.AssertEveryRowOnceInOrder(3000);
        foreach (var r in new[] { 0, 1, 777, 2999 })
        {
            var expected = Mlp.RunDirect(_platform.ModelPath, rows[r]);
            Assert.Equal(expected.Length, result.Values[r].Length);
            for (var j = 0; j < expected.Length; j++)
            {
                Assert.Equal(expected[j], result.Values[r][j], 5);
            }
        }
    }

    [Fact]
    public async Task A_file_uploaded_once_is_submitted_by_its_id_twice_and_another_tenant_cannot_see_or_run_it()
    {
        var (input, _) = _platform.WriteCsv(500, seed: 12);

        var uploaded = await _platform.Platform.OrbitOkAsync($"batch upload {input}");
        var id = System.Text.RegularExpressions.Regex.Match(uploaded, "bf_[0-9a-f]{32}").Value;
        Assert.False(string.IsNullOrEmpty(id), uploaded);
        var first = await _platform.Platform.OrbitOkAsync($"batch submit --file-id {id} --model {_platform.Model} --keep id --follow");
        var second = await _platform.Platform.OrbitOkAsync($"batch submit --file-id {id} --model {_platform.Model} --follow");

        Assert.Contains("completed: 500 of 500 rows done, 0 failed", first);
        Assert.Contains("completed: 500 of 500 rows done, 0 failed", second);
        using var admin = _platform.Client();
        var stored = JsonDocument.Parse(await admin.GetStringAsync($"/v1/files/{id}")).RootElement;
        Assert.Equal(new FileInfo(input).Length, stored.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Path.GetFileName(input), stored.GetProperty("name").GetString());

        var otherKey = await KeyOfNewTenantAsync();
        using var other = _platform.Client(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/files/{id}")).StatusCode);
        var (status, problem) = await _platform.SubmitAsync(null, new Dictionary<string, string> { ["fileId"] = id }, key: otherKey);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("fileId", problem.GetProperty("field").GetString());
        var (both, bothProblem) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["fileId"] = id });
        Assert.Equal((HttpStatusCode.BadRequest, "fileId"), (both, bothProblem.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/files/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/files/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_its_chunks_to_the_other_and_the_output_has_every_row_exactly_once()
    {
        var (input, _) = _platform.WriteCsv(20_000, seed: 2);
        var (status, job) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["chunkSize"] = "100" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = job.GetProperty("id").GetString()!;
        await _platform.WaitForRowsAsync(id, 1);

        // Frozen first, so the chunks RabbitMQ gave it stay unacknowledged there; then killed: they are redelivered to the other.
        var victim = _platform.Platform.Pids()["inference-worker-1"];
        Signal(victim, "STOP");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Signal(victim, "KILL");
        var final = await _platform.WaitAsync(id);

        try
        {
            Assert.Equal("completed", final.GetProperty("state").GetString());
            var (downloaded, csv) = await _platform.DownloadAsync(id);
            Assert.Equal(HttpStatusCode.OK, downloaded);
            BatchOutput.Parse(csv).AssertEveryRowOnceInOrder(20_000);
            Assert.Equal(20_000, final.GetProperty("rowsDone").GetInt64());
        }
        finally
        {
            await _platform.Platform.OrbitOkAsync("up --workers 2");
            await _platform.WaitForWorkersAsync(2);
        }
    }

    [Fact]
    public async Task A_registry_killed_mid_job_resumes_it_when_restarted_and_the_output_has_every_row_exactly_once()
    {
        var (input, _) = _platform.WriteCsv(20_000, seed: 3);
        var (status, job) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["chunkSize"] = "100" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = job.GetProperty("id").GetString()!;
        await _platform.WaitForRowsAsync(id, 1);

        Signal(_platform.Platform.Pids()["registry"], "KILL");
        await _platform.Platform.OrbitOkAsync("up --workers 2");
        var final = await _platform.WaitAsync(id);

        Assert.Equal("completed", final.GetProperty("state").GetString());
        Assert.Equal(20_000, final.GetProperty("rowsDone").GetInt64());
        var (downloaded, csv) = await _platform.DownloadAsync(id);
        Assert.Equal(HttpStatusCode.OK, downloaded);
        BatchOutput.Parse(csv).AssertEveryRowOnceInOrder(20_000);
    }

    [Fact]
    public async Task Bad_rows_go_to_the_errors_file_with_their_line_and_reason_and_the_job_completes()
    {
        var bad = new HashSet<int> { 3, 400, 999 };
        var (input, _) = _platform.WriteCsv(1000, seed: 4, bad);
        var (_, job) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["chunkSize"] = "100" });
        var final = await _platform.WaitAsync(job.GetProperty("id").GetString()!);

        Assert.Equal("completed", final.GetProperty("state").GetString());
        Assert.Equal(3, final.GetProperty("rowsFailed").GetInt64());
        var id = final.GetProperty("id").GetString()!;
        BatchOutput.Parse((await _platform.DownloadAsync(id)).Body).AssertEveryRowOnceInOrder(1000, bad);
        var errors = (await _platform.DownloadAsync(id, "errors")).Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,line,reason", errors[0]);
        Assert.Equal(["3,5,", "400,402,", "999,1001,"], errors.Skip(1).Select(e => string.Join(',', e.Split(',').Take(2)) + ","));
        Assert.All(errors.Skip(1), e => Assert.Contains("column 'f3': 'n/a' is not a FP32 value", e));
    }

    [Fact]
    public async Task A_job_past_its_error_ratio_fails_saying_so_and_has_no_output()
    {
        var bad = Enumerable.Range(0, 10).Select(i => i * 20).ToHashSet();
        var (input, _) = _platform.WriteCsv(200, seed: 5, bad);
        var (_, job) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["maxErrorRatio"] = "0.02" });
        var final = await _platform.WaitAsync(job.GetProperty("id").GetString()!);

        Assert.Equal("failed", final.GetProperty("state").GetString());
        Assert.Contains("10 of 200 rows (5%) failed, over the job's error limit of 2% (maxErrorRatio)", final.GetProperty("reason").GetString());
        var (status, body) = await _platform.DownloadAsync(final.GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("/errors", body);
    }

    [Fact]
    public async Task Cancelling_a_job_stops_new_chunks_and_keeps_what_was_done()
    {
        var (input, _) = _platform.WriteCsv(20_000, seed: 6);
        var (_, job) = await _platform.SubmitAsync(input, new Dictionary<string, string> { ["chunkSize"] = "50" });
        var id = job.GetProperty("id").GetString()!;
        await _platform.WaitForRowsAsync(id, 1);

        using var http = _platform.Client();
        using var cancel = await http.PostAsync($"/v1/batch-jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var output = await Orbit.Testing.Eventually.GetAsync(async () =>
        {
            var (status, body) = await _platform.DownloadAsync(id);
            return status == HttpStatusCode.OK ? body : null;
        }, TimeSpan.FromSeconds(30), "the cancelled job's output");

        var final = await _platform.GetAsync(id);
        Assert.Equal("cancelled", final.GetProperty("state").GetString());
        var result = BatchOutput.Parse(output);
        Assert.InRange(result.Rows.Count, 1, 19_999);
        Assert.Equal(result.Rows.Order().Distinct(), result.Rows);
        Assert.Equal(result.Rows.Select(r => "id" + r), result.Ids);
        using var again = await http.PostAsync($"/v1/batch-jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_job_is_not_found()
    {
        var (input, _) = _platform.WriteCsv(10, seed: 7);
        var (_, job) = await _platform.SubmitAsync(input);
        var id = job.GetProperty("id").GetString()!;
        var other = await KeyOfNewTenantAsync();

        using var http = _platform.Client(other);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/batch-jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/batch-jobs/{id}/output")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/v1/batch-jobs/{id}/errors")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/v1/batch-jobs/{id}/cancel", null)).StatusCode);
        var list = JsonDocument.Parse(await http.GetStringAsync("/v1/batch-jobs")).RootElement.GetProperty("items");
        Assert.Equal(0, list.GetArrayLength());
        // Nor can it run the first tenant's model.
        var (status, _) = await _platform.SubmitAsync(input, key: other);
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Bad_submissions_are_refused_with_the_field_named()
    {
        var (input, _) = _platform.WriteCsv(10, seed: 8);

        await AssertProblemAsync(input, new() { ["format"] = "xlsx" }, HttpStatusCode.BadRequest, "format");
        await AssertProblemAsync(input, new() { ["outputFormat"] = "xml" }, HttpStatusCode.BadRequest, "outputFormat");
        await AssertProblemAsync(input, new() { ["keep"] = "nope" }, HttpStatusCode.BadRequest, "keep");
        await AssertProblemAsync(input, new() { ["columns"] = "f0,f1" }, HttpStatusCode.BadRequest, "columns");
        await AssertProblemAsync(input, new() { ["chunkSize"] = "0" }, HttpStatusCode.BadRequest, "chunkSize");
        await AssertProblemAsync(input, new() { ["model"] = "no-such-model" }, HttpStatusCode.NotFound, null);

        var missing = Path.Combine(_platform.Files, "missing-column.csv");
        await File.WriteAllTextAsync(missing, "id,f0,f1,f2,f4,f5,f6,f7\nid0,1,2,3,4,5,6,7\n");
        var (_, problem) = await _platform.SubmitAsync(missing);
        Assert.Equal("columns", problem.GetProperty("field").GetString());
        Assert.Contains("'f3'", problem.GetProperty("detail").GetString());

        var utf16 = Path.Combine(_platform.Files, "utf16.csv");
        await File.WriteAllTextAsync(utf16, await File.ReadAllTextAsync(input), System.Text.Encoding.Unicode);
        var (_, encoding) = await _platform.SubmitAsync(utf16);
        Assert.Equal("file", encoding.GetProperty("field").GetString());
        Assert.Contains("a CSV input is UTF-8", encoding.GetProperty("detail").GetString());

        var big = Path.Combine(_platform.Files, "big.csv");
        await File.WriteAllTextAsync(big, "id,f0\n" + new string('1', (int)BatchPlatform.MaxInputBytes + 10) + "\n");
        await AssertProblemAsync(big, new(), HttpStatusCode.RequestEntityTooLarge, "file");
    }

    [Fact]
    public async Task A_path_like_file_name_is_kept_only_as_a_label_and_the_input_is_stored_under_a_generated_name()
    {
        var (input, _) = _platform.WriteCsv(20, seed: 9);
        var (status, job) = await _platform.SubmitAsync(input, fileName: "../../../../tmp/evil.csv");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("evil.csv", job.GetProperty("inputName").GetString());
        var id = job.GetProperty("id").GetString()!;
        Assert.True(File.Exists(Path.Combine(_platform.RegistryData, "batch", id, "input")));
        Assert.False(File.Exists("/tmp/evil.csv"));
        Assert.Equal("completed", (await _platform.WaitAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Jsonl_input_can_be_written_out_as_jsonl()
    {
        var random = new Random(10);
        var path = Path.Combine(_platform.Files, "input.jsonl");
        await File.WriteAllLinesAsync(path, Enumerable.Range(0, 50).Select(i =>
            JsonSerializer.Serialize(new { id = "j" + i, inputs = new[] { new { name = "x", datatype = "FP32", shape = new[] { 1, Mlp.Features }, data = Mlp.RandomRow(random) } } })));
        var (status, job) = await _platform.SubmitAsync(path, new Dictionary<string, string> { ["chunkSize"] = "20" });
        Assert.Equal(HttpStatusCode.Accepted, status);

        var final = await _platform.WaitAsync(job.GetProperty("id").GetString()!);

        Assert.Equal("completed", final.GetProperty("state").GetString());
        var lines = (await _platform.DownloadAsync(final.GetProperty("id").GetString()!)).Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50, lines.Length);
        var last = JsonDocument.Parse(lines[49]).RootElement;
        Assert.Equal(49, last.GetProperty("row").GetInt64());
        Assert.Equal("j49", last.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, last.GetProperty("y_2").ValueKind);
    }

    private async Task AssertProblemAsync(string input, Dictionary<string, string> fields, HttpStatusCode expected, string? field)
    {
        var (status, problem) = await _platform.SubmitAsync(input, fields);
        Assert.True(expected == status, $"{string.Join(", ", fields)}: expected {expected}, got {status}: {problem}");
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }
    }

    private async Task<string> KeyOfNewTenantAsync()
    {
        using var admin = _platform.Client();
        var tenant = "other" + Guid.NewGuid().ToString("N")[..6];
        (await admin.PostAsync("/v1/tenants", JsonContent($$"""{"id": "{{tenant}}"}"""))).EnsureSuccessStatusCode();
        using var created = await admin.PostAsync("/v1/keys", JsonContent($$"""{"role": "deployer", "tenantId": "{{tenant}}"}"""));
        created.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}")!;
        kill.WaitForExit();
    }
}
