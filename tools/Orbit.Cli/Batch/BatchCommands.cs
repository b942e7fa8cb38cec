using System.CommandLine;
using System.Globalization;
using Orbit.Cli.Registry;
using Orbit.Contracts.Batch;
using Spectre.Console;

namespace Orbit.Cli.Batch;

/// <summary><c>orbit batch submit|list|show|cancel|download</c>.</summary>
internal static class BatchCommands
{
    private static readonly string[] Formats = ["csv", "jsonl", "parquet"];

    public static Command Create(RegistryRunner runner)
    {
        var batch = new Command("batch", "Score a file of rows with a model: submit batch jobs, follow them, download their output");
        batch.Subcommands.Add(Submit(runner));
        batch.Subcommands.Add(Upload(runner));
        batch.Subcommands.Add(List(runner));
        batch.Subcommands.Add(Show(runner));
        batch.Subcommands.Add(Cancel(runner));
        batch.Subcommands.Add(Download(runner));
        return batch;
    }

    private static Command Submit(RegistryRunner runner)
    {
        var file = new Argument<string?>("file") { Description = "The input: CSV with a header, JSONL (one OIP inputs object per line) or Parquet", Arity = ArgumentArity.ZeroOrOne };
        var fileId = new Option<string?>("--file-id") { Description = "Run a file uploaded before (./orbit batch upload) instead of FILE" };
        var model = new Option<string>("--model") { Description = "The model to run", Required = true };
        var version = new Option<int?>("--version") { Description = "The version (default: the deployment's stable version)" };
        var keep = new Option<string[]>("--keep") { Description = "Input columns to copy to the output (an id, a label); repeat for more", AllowMultipleArgumentsPerToken = true };
        var columns = new Option<string[]>("--columns") { Description = "The feature columns in the model's order (default: the version metadata's features)", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string?>("--format") { Description = "The output format: csv, jsonl or parquet (default: the input's)" };
        var inputFormat = new Option<string?>("--input-format") { Description = "The input's format when its extension does not say it" };
        var chunkSize = new Option<int?>("--chunk-size") { Description = "Rows per chunk (default 1000)" };
        var maxErrors = new Option<double?>("--max-error-ratio") { Description = "Share of rows that may fail before the job fails (default 0.01)" };
        var follow = new Option<bool>("--follow") { Description = "Show progress (rows, rate, ETA) until the job ends" };
        var output = new Option<string?>("--output") { Description = "With --follow: where to write the output when the job completes" };
        var command = new Command("submit", "Submit a batch job") { file, fileId, model, version, keep, columns, format, inputFormat, chunkSize, maxErrors, follow, output };

        return runner.Define(command, async (call, ct) =>
        {
            var fields = new Dictionary<string, string> { ["model"] = call.Get(model)! };
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    fields[name] = value;
                }
            }

            Add("version", call.Get(version)?.ToString(CultureInfo.InvariantCulture));
            Add("keep", string.Join(',', call.Get(keep) ?? []));
            Add("columns", string.Join(',', call.Get(columns) ?? []));
            Add("outputFormat", call.Get(format));
            Add("format", call.Get(inputFormat));
            Add("chunkSize", call.Get(chunkSize)?.ToString(CultureInfo.InvariantCulture));
            Add("maxErrorRatio", call.Get(maxErrors)?.ToString(CultureInfo.InvariantCulture));
            Add("fileId", call.Get(fileId));
            var submitted = await call.Api.SubmitBatchAsync(call.Get(file), fields, ct);
            if (!call.Get(follow))
            {
                return await call.AnswerAsync(submitted, job =>
                {
                    AnsiConsole.MarkupLine($"submitted batch job [bold]{job.Id}[/] ({Markup.Escape(job.Model)} v{job.Version})");
                    AnsiConsole.MarkupLine($"follow it:   ./orbit batch show {job.Id}");
                    AnsiConsole.MarkupLine($"when done:   ./orbit batch download {job.Id} --output FILE");
                });
            }

            if (await call.FailedAsync(submitted))
            {
                return RegistryRunner.Failed;
            }

            var final = await FollowAsync(call, submitted.Value!, ct);
            if (final is null)
            {
                return RegistryRunner.Failed;
            }

            return await FinishAsync(call, final, call.Get(output), ct);
        }, parse =>
            (parse.GetValue(file) is null) == (parse.GetValue(fileId) is null) ? "give the input once: FILE, or --file-id ID of a file uploaded with ./orbit batch upload"
            : parse.GetValue(file) is { } path && !File.Exists(path) ? $"no such file: {path}"
            : parse.GetValue(format) is { } f && !Formats.Contains(f) ? $"--format must be one of {string.Join(", ", Formats)}, got '{f}'"
            : parse.GetValue(output) is not null && !parse.GetValue(follow) ? "--output needs --follow (or use: orbit batch download ID --output FILE)"
            : null);
    }

    /// <summary>Polls the job and draws its progress until it ends; the final view, or null when the job vanished.</summary>
    private static async Task<BatchJobView?> FollowAsync(RegistryCall call, BatchJobView job, CancellationToken ct)
    {
        AnsiConsole.MarkupLine($"batch job [bold]{job.Id}[/] ({Markup.Escape(job.Model)} v{job.Version}); Ctrl-C stops following, not the job");
        BatchJobView? last = job;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(Describe(job), maxValue: 1);
                while (!IsFinal(last!.State))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                    var result = await call.Api.GetBatchAsync(job.Id, ct);
                    if (await call.FailedAsync(result))
                    {
                        last = null;
                        return;
                    }

                    last = result.Value!;
                    bar.MaxValue = Math.Max(1, last.RowsTotal);
                    bar.Value = last.RowsDone + last.RowsFailed;
                    bar.Description = Describe(last);
                }

                bar.Value = bar.MaxValue;
            });
        return last;
    }

    private static async Task<int> FinishAsync(RegistryCall call, BatchJobView job, string? output, CancellationToken ct)
    {
        Console.WriteLine(Summary(job));
        if (job.State != "completed")
        {
            await Console.Error.WriteLineAsync($"orbit batch: job {job.Id} {job.State}{(job.Reason is null ? "" : ": " + job.Reason)}. Its errors: ./orbit batch download {job.Id} --errors");
            return RegistryRunner.Failed;
        }

        if (output is null)
        {
            Console.WriteLine($"download it: ./orbit batch download {job.Id} --output FILE");
            return RegistryRunner.Ok;
        }

        var written = await call.Api.DownloadBatchAsync(job.Id, errors: false, output, ct);
        if (await call.FailedAsync(written))
        {
            return RegistryRunner.Failed;
        }

        Console.WriteLine($"output written to {output} ({written.Value} bytes){(job.RowsFailed > 0 ? $"; {job.RowsFailed} rows failed: ./orbit batch download {job.Id} --errors" : "")}");
        return RegistryRunner.Ok;
    }

    private static Command Upload(RegistryRunner runner)
    {
        var file = new Argument<string>("file") { Description = "The input to keep for later jobs: CSV, JSONL or Parquet" };
        return runner.Define(new Command("upload", "Upload a batch input once, to submit it by id as often as wanted (--file-id)") { file }, async (call, ct) =>
            await call.AnswerAsync(await call.Api.UploadBatchInputAsync(call.Get(file)!, ct), stored =>
            {
                AnsiConsole.MarkupLine($"uploaded [bold]{stored.Id}[/] ({Count(stored.SizeBytes)} bytes, {Markup.Escape(stored.Sha256)})");
                AnsiConsole.MarkupLine($"run it: ./orbit batch submit --file-id {stored.Id} --model M --follow");
            }), parse => File.Exists(parse.GetValue(file)) ? null : $"no such file: {parse.GetValue(file)}");
    }

    private static Command List(RegistryRunner runner) =>
        runner.Define(new Command("list", "List this tenant's batch jobs, newest first"), async (call, ct) =>
            await call.AnswerAsync(await RegistryApi.AllAsync<BatchJobView>(cursor => call.Api.ListBatchesAsync(cursor, ct), max: 200), page =>
            {
                if (page.Items.Count == 0)
                {
                    AnsiConsole.WriteLine("No batch jobs yet. Submit one: ./orbit batch submit FILE --model M --follow");
                    return;
                }

                var table = new Table().AddColumns("ID", "MODEL", "STATE", "ROWS", "DONE", "FAILED", "ROWS/S", "CREATED");
                foreach (var job in page.Items)
                {
                    table.AddRow(job.Id, Markup.Escape($"{job.Model} v{job.Version}"), Markup.Escape(job.State), Count(job.RowsTotal), Count(job.RowsDone),
                        Count(job.RowsFailed), job.RowsPerSecond.ToString("0", CultureInfo.InvariantCulture), Views.Time(job.CreatedAt));
                }

                AnsiConsole.Write(table);
            }));

    private static Command Show(RegistryRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id (bj_…)" };
        return runner.Define(new Command("show", "Show a batch job: state, rows done, rate, ETA, errors") { id }, async (call, ct) =>
            await call.AnswerAsync(await call.Api.GetBatchAsync(call.Get(id)!, ct), job =>
            {
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow("id", job.Id);
                grid.AddRow("model", Markup.Escape($"{job.Model} v{job.Version}"));
                grid.AddRow("state", Markup.Escape(job.State + (job.Reason is null ? "" : $" ({job.Reason})")));
                grid.AddRow("input", Markup.Escape($"{job.InputName ?? "-"} ({job.InputFormat}) → {job.OutputFormat}, chunks of {job.ChunkSize}"));
                grid.AddRow("rows", Markup.Escape(Describe(job)));
                grid.AddRow("chunks", $"{job.ChunksDone} of {job.ChunksTotal}");
                grid.AddRow("created", Views.Time(job.CreatedAt));
                AnsiConsole.Write(grid);
                AnsiConsole.MarkupLine(job.State switch
                {
                    "completed" => $"download: ./orbit batch download {job.Id} --output FILE",
                    "failed" => $"errors: ./orbit batch download {job.Id} --errors",
                    "cancelled" => $"what was done: ./orbit batch download {job.Id} --output FILE",
                    _ => $"follow: ./orbit batch show {job.Id}   stop: ./orbit batch cancel {job.Id}",
                });
            }));
    }

    private static Command Cancel(RegistryRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id (bj_…)" };
        return runner.Define(new Command("cancel", "Cancel a batch job: no new chunks start; what is done is kept") { id }, async (call, ct) =>
            await call.AnswerAsync(await call.Api.CancelBatchAsync(call.Get(id)!, ct), job =>
                AnsiConsole.MarkupLine($"cancelled {job.Id} after {Count(job.RowsDone)} of {Count(job.RowsTotal)} rows; what was done: ./orbit batch download {job.Id} --output FILE")));
    }

    private static Command Download(RegistryRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id (bj_…)" };
        var output = new Option<string?>("--output") { Description = "Where to write it (default: ID.FORMAT, or ID.errors.csv)" };
        var errors = new Option<bool>("--errors") { Description = "Download the errors file (row, line, reason) instead of the output" };
        return runner.Define(new Command("download", "Download a batch job's output, or its errors file") { id, output, errors }, async (call, ct) =>
        {
            var job = await call.Api.GetBatchAsync(call.Get(id)!, ct);
            if (await call.FailedAsync(job))
            {
                return RegistryRunner.Failed;
            }

            var wantErrors = call.Get(errors);
            var path = call.Get(output) ?? (wantErrors ? $"{job.Value!.Id}.errors.csv" : $"{job.Value!.Id}.{job.Value.OutputFormat}");
            var written = await call.Api.DownloadBatchAsync(job.Value!.Id, wantErrors, path, ct);
            return await call.AnswerAsync(written, bytes => AnsiConsole.MarkupLine($"{Markup.Escape(path)} ({bytes} bytes)"));
        });
    }

    private static bool IsFinal(string state) => state is "completed" or "failed" or "cancelled";

    private static string Describe(BatchJobView job)
    {
        var eta = job.EtaSeconds is { } seconds && !IsFinal(job.State) ? $", ETA {TimeSpan.FromSeconds(Math.Round(seconds)):g}" : "";
        var total = job.State == "preparing" ? "reading input" : $"{Count(job.RowsDone)}/{Count(job.RowsTotal)} rows";
        return Markup.Escape($"{job.State}: {total}, {job.RowsPerSecond.ToString("0", CultureInfo.InvariantCulture)} rows/s{eta}{(job.RowsFailed > 0 ? $", {Count(job.RowsFailed)} failed" : "")}");
    }

    private static string Summary(BatchJobView job) =>
        $"{job.Id} {job.State}: {Count(job.RowsDone)} of {Count(job.RowsTotal)} rows done, {Count(job.RowsFailed)} failed, {job.RowsPerSecond.ToString("0", CultureInfo.InvariantCulture)} rows/s";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
