using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Batch;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Wire;
using Orbit.Hosting.Messaging.InferenceWire;
using Orbit.Registry.BatchJobs;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;
using RabbitMQ.Client;
using static Orbit.Registry.Tests.BatchJobs.BatchTestData;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class BatchChunkWireTests
{
    /// <summary>
    /// The registry sends its chunks in the binary wire format (rows as raw bytes, not base64), and reads a worker's
    /// binary answers: here the test plays the worker, on a RabbitMQ virtual host of its own so that no other
    /// registry takes the answers.
    /// </summary>
    [Fact]
    public async Task Chunks_go_out_binary_and_binary_answers_complete_the_job()
    {
        await using var virtualHost = await VirtualHost.CreateAsync("orbit-wire-");
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var registry = RegistryHost.Start(store, new Dictionary<string, string?> { ["Orbit:RabbitMq:Url"] = virtualHost.Url });
        var files = registry.Services.GetRequiredService<BatchFiles>();
        var jobs = registry.Services.GetRequiredService<BatchJobRepository>();
        var csv = new StringBuilder("id,a,b,c\n");
        for (var row = 0; row < 30; row++)
        {
            csv.Append($"r{row},{row},{row + 0.5},{-row - 1}\n");
        }

        var job = await CsvJobAsync(files, "wire-", Abc("id"), csv.ToString());
        var queue = BatchAddresses.Queue(job.TenantId, job.ModelName);
        await using var connection = await new ConnectionFactory { Uri = new Uri(virtualHost.Url) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await jobs.CreateAsync(job, CancellationToken.None);
            registry.Services.GetRequiredService<BatchScheduler>().Notify();
            var chunks = await ReceiveChunksAsync(connection, queue, 3);

            Assert.Equal([0, 1, 2], chunks.Select(c => c.Chunk).Order());
            var first = chunks.Single(c => c.Chunk == 0);
            Assert.Equal((job.Id, 10, job.Digest), (first.JobId, first.Rows, first.Digest));
            Assert.Equal(new long[] { 10, 3 }, first.Inputs[0].Shape);
            Assert.Equal([0f, 0.5f, -1f, 1f, 1.5f, -2f], Floats(first.Inputs[0].RawData!)[..6]);

            var answers = chunks.Select(c => InferenceWireFormat.Encode(new BatchChunkCompleted(c.JobId, c.Chunk, c.TenantId,
                [new InferenceTensor("y", "FP32", [c.Rows, 2], RawData: MemoryMarshal.AsBytes(Enumerable.Range(0, c.Rows * 2).Select(i => c.Chunk * 100f + i).ToArray().AsSpan()).ToArray())],
                "test-worker", 0.5))).ToList();
            foreach (var answer in answers)
            {
                await channel.BasicPublishAsync(BatchAddresses.ResultsQueue, "", mandatory: false,
                    new BasicProperties { ContentType = InferenceWireFormat.MediaType, MessageId = Guid.NewGuid().ToString() }, answer);
            }

            var done = await Eventually.GetAsync(async () =>
                await jobs.GetAsync(job.Id, CancellationToken.None) is { } row && BatchJobStates.IsFinal(row.State) ? row : null,
                TimeSpan.FromSeconds(60), $"batch job {job.Id} to end");
            Assert.Equal((BatchJobStates.Completed, 30L, 0L), (done.State, done.RowsDone, done.RowsFailed));
            var output = (await File.ReadAllLinesAsync(files.Output(job.Id, BatchFormat.Csv))).ToList();
            Assert.Equal(31, output.Count);
            Assert.Equal("0,r0,0,1", output[1]);
            Assert.Equal("29,r29,218,219", output[30]);
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    /// <summary>The chunks the registry sent, as a worker receives them; a fresh channel per look, as the queue does not exist until the first is sent.</summary>
    private static Task<List<BatchChunkRequested>> ReceiveChunksAsync(IConnection connection, string queue, int count)
    {
        var chunks = new List<BatchChunkRequested>();
        return Eventually.GetAsync(async () =>
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                while (chunks.Count < count && await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    Assert.Equal(InferenceWireFormat.MediaType, message.BasicProperties.ContentType);
                    chunks.Add(Assert.IsType<BatchChunkRequested>(InferenceWireFormat.Decode(message.Body)));
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return null; // not declared yet: the first chunk is not sent yet
            }

            return chunks.Count == count ? chunks : null;
        }, TimeSpan.FromSeconds(60), $"{count} chunks on {queue}");
    }
}
