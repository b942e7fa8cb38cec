using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Inference;
using Orbit.Registry.BatchJobs;
using Orbit.Registry.Tests.Support;
using static Orbit.Registry.Tests.BatchJobs.BatchTestData;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class ChunkIdempotencyTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_chunk_answered_twice_is_counted_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var registry = RegistryHost.Start(store);
        var jobs = registry.Services.GetRequiredService<BatchJobRepository>();
        var job = BatchTestData.Job(BatchFiles.NewJobId(), BatchFormat.Csv, Abc(), 10);
        // Created as already completed, so the registry's own scheduler leaves it alone.
        job.State = BatchJobStates.Completed;
        job.OutputReady = 1;
        await jobs.CreateAsync(job, CancellationToken.None);
        await jobs.AddChunksAsync(job.Id, [(0, 10)], 10, CancellationToken.None);
        await jobs.AddChunksAsync(job.Id, [(1, 10), (2, 5)], 25, CancellationToken.None);
        await jobs.AddChunksAsync(job.Id, [(1, 10)], 20, CancellationToken.None); // staged again after a restart: kept once
        await jobs.StagedAsync(job.Id, 25, 0, 3, null, CancellationToken.None);

        Assert.True(await jobs.CompleteChunkAsync(job.Id, 1, 10, 0, CancellationToken.None));
        Assert.False(await jobs.CompleteChunkAsync(job.Id, 1, 10, 0, CancellationToken.None));
        Assert.True(await jobs.CompleteChunkAsync(job.Id, 2, 0, 5, CancellationToken.None));

        var after = (await jobs.GetAsync("t", job.Id, CancellationToken.None))!;
        Assert.Equal(10, after.RowsDone);
        Assert.Equal(5, after.RowsFailed);
        Assert.Equal(2, after.ChunksDone);
        Assert.Equal(3, after.ChunksTotal);
        Assert.Equal(25, after.RowsTotal);
        Assert.Equal(BatchJobStates.Completed, after.State);
        Assert.Null(await jobs.GetAsync("another-tenant", job.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Answers_counted_together_in_one_commit_are_each_counted_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var registry = RegistryHost.Start(store);
        var jobs = registry.Services.GetRequiredService<BatchJobRepository>();
        var completions = new ChunkCompletions(jobs);
        var job = BatchTestData.Job(BatchFiles.NewJobId(), BatchFormat.Csv, Abc(), 10);
        job.State = BatchJobStates.Completed;
        job.OutputReady = 1;
        await jobs.CreateAsync(job, CancellationToken.None);
        await jobs.AddChunksAsync(job.Id, Enumerable.Range(0, 20).Select(c => (c, 10)).ToList(), 200, CancellationToken.None);
        await jobs.StagedAsync(job.Id, 200, 0, 20, null, CancellationToken.None);

        // Every chunk answered twice (a redelivery), all at once, and one chunk failed as a whole.
        var answers = Enumerable.Range(0, 20).SelectMany(c => new[] { c, c })
            .Select(c => Task.Run(() => completions.CompleteAsync(new ChunkCompletion(job.Id, c, c == 7 ? 0 : 10, c == 7 ? 10 : 0))))
            .ToList();
        var results = await Task.WhenAll(answers);

        Assert.Equal(20, results.Count(r => r.Counted));
        Assert.All(results, r => Assert.Equal(job.Id, r.Job!.Id));
        var after = (await jobs.GetAsync("t", job.Id, CancellationToken.None))!;
        Assert.Equal(190, after.RowsDone);
        Assert.Equal(10, after.RowsFailed);
        Assert.Equal(20, after.ChunksDone);
    }

    [Fact]
    public async Task A_part_written_twice_holds_its_rows_once()
    {
        var data = Directory.CreateTempSubdirectory("orbit-batch-parts-").FullName;
        try
        {
            var files = new BatchFiles(new Orbit.Hosting.OrbitServiceInfo("registry", "test", DateTimeOffset.UtcNow, data));
            var store = new BatchChunkStore(files);
            var id = BatchFiles.NewJobId();
            var chunk = new StagedChunk([7, 8], [[], []], []);
            var outputs = new[] { new InferenceTensor("y", "FP32", [2], RawData: System.Runtime.InteropServices.MemoryMarshal.AsBytes(new[] { 1f, 2f }.AsSpan()).ToArray()) };

            await store.WritePartAsync(id, 3, PartFile.From(chunk, outputs).Part!);
            await store.WritePartAsync(id, 3, PartFile.From(chunk, outputs).Part!);

            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(files.Part(id, 3))!));
            var part = await store.ReadPartAsync(id, 3, CancellationToken.None);
            Assert.Equal(new long[] { 7, 8 }, part.Rows);

            await store.WritePartAsync(id, 4, BatchFormat.Csv, [], PartFile.From(chunk, outputs).Part!);
            await store.WritePartAsync(id, 4, BatchFormat.Csv, [], PartFile.From(chunk, outputs).Part!);
            Assert.Equal("row,y\n7,1\n8,2\n", (await File.ReadAllTextAsync(files.Fragment(id, 4, BatchFormat.Csv))).Replace("\r\n", "\n"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
