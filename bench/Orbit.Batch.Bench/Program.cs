using System.Diagnostics;
using System.Globalization;
using Orbit.Batch.Bench;

// Batch-job benchmark (run through bench/run-batch.sh, which starts the platform):
//   prepare DIR ROWS                                  the bench MLP, its metadata, and a CSV of ROWS rows
//   throughput DIR ROWS URL KEY LABEL [CHUNK]         in-process loop vs the platform's batch job on the same CSV (same run)
//   preempt DIR ROWS URL KEY RATE SECONDS            real-time p99 at RATE req/s without and with a batch job; batch rate with and after real-time
//   wire [ROWS] [ITERATIONS]                          one chunk and its answer written and read as JSON (base64) and in the binary wire format (no platform)
var invariant = CultureInfo.InvariantCulture;
switch (args)
{
    case ["prepare", var dir, var rows]:
        BatchInput.Prepare(dir, long.Parse(rows, invariant));
        return 0;

    case ["throughput", var dir, var rowsText, var url, var key, var label, .. var rest]:
    {
        var rows = long.Parse(rowsText, invariant);
        var chunk = rest.Length > 0 ? int.Parse(rest[0], invariant) : 1000;
        var csv = BatchInput.Csv(dir, rows);
        // Both sides first run a warm-up of 50,000 rows (JIT, model load), not measured: the figures are steady state.
        // 50 chunks, so that code run once per chunk has been called often enough to be fully compiled (tiered JIT).
        const long WarmUp = 50_000;
        BatchInput.Prepare(dir, WarmUp);
        InProcessLoop.Run(BatchInput.Model(dir), BatchInput.Csv(dir, WarmUp), chunk, Path.Combine(dir, "loop-output.csv"));
        await Task.Delay(TimeSpan.FromSeconds(5)); // as the platform gets after its warm-up (below)
        var (loopRows, loopTime) = InProcessLoop.Run(BatchInput.Model(dir), csv, chunk, Path.Combine(dir, "loop-output.csv"));
        var loopRate = loopRows / loopTime.TotalSeconds;

        using var platform = new PlatformJobs(new Uri(url), key);
        await platform.WaitAsync(await platform.SubmitAsync(BatchInput.Csv(dir, WarmUp), BatchInput.Name, chunk), TimeSpan.FromMinutes(10));
        // A pause after the warm-up, so that what it started in the background (tiered JIT's recompilation) is not
        // counted in the measured job; the processes' CPU in the pause is printed.
        var idle = ProcessCpu.Start();
        await Task.Delay(TimeSpan.FromSeconds(5));
        Console.Error.WriteLine($"{label}: CPU in a 5 s pause after the warm-up: {idle.Since()}");
        // The same job twice: the first runs partly on code the tiered JIT has not optimised yet (a service's first
        // large job after a start), the second on steady-state code.
        var ok = true;
        foreach (var run in new[] { "first job", "second job" })
        {
            var cpu = ProcessCpu.Start();
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
            var clock = Stopwatch.StartNew();
            var id = await platform.SubmitAsync(csv, BatchInput.Name, chunk);
            var uploaded = clock.Elapsed;
            var job = await platform.WaitAsync(id, TimeSpan.FromMinutes(30));
            var elapsed = clock.Elapsed;
            Console.Error.WriteLine($"{label}, {run}: upload answered after {uploaded.TotalSeconds:0.00} s; CPU during the job ({elapsed.TotalSeconds:0.0} s): {cpu.Since()}; load average 1 min {load} at the start, {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")} at the end");
            var output = Path.Combine(dir, $"{id}.csv");
            await platform.DownloadAsync(id, output);
            var outputRows = File.ReadLines(output).LongCount() - 1;
            var platformRate = rows / elapsed.TotalSeconds;
            Console.WriteLine($"| {label}, {run} | {rows:N0} | {chunk} | {loopRate:N0} rows/s ({loopTime.TotalSeconds:0.0} s) | {platformRate:N0} rows/s ({elapsed.TotalSeconds:0.0} s, state {job.GetProperty("state").GetString()}, {outputRows:N0} output rows) | {platformRate / loopRate:0.00}× |");
            File.Delete(output);
            ok &= job.GetProperty("state").GetString() == "completed" && outputRows == rows;
        }

        return ok ? 0 : 1;
    }

    case ["preempt", var dir, var rowsText, var url, var key, var rateText, var secondsText]:
    {
        var rows = long.Parse(rowsText, invariant);
        var rate = double.Parse(rateText, invariant);
        var window = TimeSpan.FromSeconds(double.Parse(secondsText, invariant));
        using var platform = new PlatformJobs(new Uri(url), key);
        await FixedRateLoad.RunAsync(platform.Http, BatchInput.Name, rate, TimeSpan.FromSeconds(3)); // warm-up
        var alone = await FixedRateLoad.RunAsync(platform.Http, BatchInput.Name, rate, window);

        var id = await platform.SubmitAsync(BatchInput.Csv(dir, rows), BatchInput.Name, 1000);
        while (await platform.RowsDoneAsync(id) == 0)
        {
            await Task.Delay(100);
        }

        var before = await platform.RowsDoneAsync(id);
        var clock = Stopwatch.StartNew();
        var shared = await FixedRateLoad.RunAsync(platform.Http, BatchInput.Name, rate, window);
        var during = await platform.RowsDoneAsync(id);
        var duringRate = (during - before) / clock.Elapsed.TotalSeconds;

        clock.Restart();
        await Task.Delay(window);
        var after = await platform.RowsDoneAsync(id);
        var afterRate = (after - during) / clock.Elapsed.TotalSeconds;
        var job = await platform.GetAsync(id);
        await platform.CancelAsync(id);

        Console.WriteLine($"| real-time at {rate:0} req/s, no batch job | {alone.Sent} sent, {alone.Failed} failed | p50 {alone.P50:0.00} ms | p99 {alone.P99:0.00} ms | |");
        Console.WriteLine($"| real-time at {rate:0} req/s, batch job running | {shared.Sent} sent, {shared.Failed} failed | p50 {shared.P50:0.00} ms | p99 {shared.P99:0.00} ms | p99 ratio {shared.P99 / alone.P99:0.00}× |");
        Console.WriteLine($"| batch job while real-time runs | {duringRate:N0} rows/s | | | |");
        Console.WriteLine($"| batch job after real-time stops | {afterRate:N0} rows/s | | | recovery {afterRate / Math.Max(1, duringRate):0.00}× ({job.GetProperty("rowsDone").GetInt64():N0} of {rows:N0} rows by then) |");
        return 0;
    }

    case ["wire", .. var wire]:
        ChunkWireCost.Run(wire.Length > 0 ? int.Parse(wire[0], invariant) : 1000, wire.Length > 1 ? int.Parse(wire[1], invariant) : 2000);
        return 0;

    default:
        Console.Error.WriteLine("usage: prepare DIR ROWS | throughput DIR ROWS URL KEY LABEL [CHUNK] | preempt DIR ROWS URL KEY RATE SECONDS | wire [ROWS] [ITERATIONS]");
        return 2;
}
