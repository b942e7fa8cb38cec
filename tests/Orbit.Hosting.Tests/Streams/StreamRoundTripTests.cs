using System.Text;
using Orbit.Hosting.Streams;
using Orbit.Testing;
using RabbitMQ.Client;

namespace Orbit.Hosting.Tests.Streams;

public sealed class StreamRoundTripTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Published_messages_are_read_back_in_order_with_consecutive_offsets()
    {
        var stream = StreamTestServices.UniqueStream("roundtrip");
        await using var services = new StreamTestServices();
        try
        {
            var at = new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 5; i++)
            {
                await services.Publisher.PublishAsync(stream, new StreamProbe("p", i, at.AddSeconds(i)), CancellationToken.None);
            }

            var records = await ReadAsync<StreamProbe>(services.Reader, stream, 0, 5);

            Assert.Equal([0L, 1, 2, 3, 4], records.Select(r => r.Offset));
            Assert.Equal([0, 1, 2, 3, 4], records.Select(r => r.Message!.Sequence));
            Assert.All(records, r => Assert.Null(r.Error));
            Assert.Equal(at.AddSeconds(3), records[3].Message!.At);
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task Reading_from_an_offset_starts_at_that_offset()
    {
        var stream = StreamTestServices.UniqueStream("offset");
        await using var services = new StreamTestServices();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
                services.Publisher.PublishAsync(stream, new StreamProbe("p", i, DateTimeOffset.UnixEpoch), CancellationToken.None)));

            var records = await ReadAsync<StreamProbe>(services.Reader, stream, 6, 4);

            Assert.Equal([6L, 7, 8, 9], records.Select(r => r.Offset));
            Assert.Equal(10, (await ReadAsync<StreamProbe>(services.Reader, stream, 0, 10)).Select(r => r.Message!.Sequence).Distinct().Count());
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task The_body_is_plain_camel_case_JSON()
    {
        var stream = StreamTestServices.UniqueStream("json");
        await using var services = new StreamTestServices();
        try
        {
            await services.Publisher.PublishAsync(stream, new StreamProbe("plain", 7, DateTimeOffset.UnixEpoch), CancellationToken.None);

            var raw = await ReadAsync<System.Text.Json.JsonElement>(services.Reader, stream, 0, 1);

            Assert.Equal("plain", raw[0].Message.GetProperty("name").GetString());
            Assert.Equal(7, raw[0].Message.GetProperty("sequence").GetInt32());
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task A_body_that_does_not_parse_comes_back_with_its_error_and_reading_goes_on()
    {
        var stream = StreamTestServices.UniqueStream("poison");
        await using var services = new StreamTestServices();
        try
        {
            await services.Publisher.PublishAsync(stream, new StreamProbe("first", 1, DateTimeOffset.UnixEpoch), CancellationToken.None);
            await PublishRawAsync(stream, "this is not json");
            await PublishRawAsync(stream, """{"sequence": 3}""");
            await services.Publisher.PublishAsync(stream, new StreamProbe("last", 4, DateTimeOffset.UnixEpoch), CancellationToken.None);

            var records = await ReadAsync<StreamProbe>(services.Reader, stream, 0, 4);

            Assert.Equal("first", records[0].Message!.Name);
            Assert.Null(records[1].Message);
            Assert.False(string.IsNullOrEmpty(records[1].Error));
            Assert.Null(records[2].Message);
            Assert.Contains("name", records[2].Error, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("last", records[3].Message!.Name);
            Assert.Equal(3, records[3].Offset);
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task A_stream_is_declared_with_the_configured_retention()
    {
        var stream = StreamTestServices.UniqueStream("retention");
        await using var services = new StreamTestServices(settings: new Dictionary<string, string?>
        {
            ["Orbit:Streams:Retention:MaxAge"] = "1D",
            [$"Orbit:Streams:PerStream:{stream}:MaxAge"] = "2h",
            [$"Orbit:Streams:PerStream:{stream}:MaxLengthBytes"] = "20000000",
            [$"Orbit:Streams:PerStream:{stream}:MaxSegmentSizeBytes"] = "1000000",
        });
        try
        {
            await services.Publisher.PublishAsync(stream, new StreamProbe("p", 1, DateTimeOffset.UnixEpoch), CancellationToken.None);

            await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
            // The broker accepts a redeclaration only with the arguments the stream has.
            await using (var same = await connection.CreateChannelAsync())
            {
                await same.QueueDeclareAsync(stream, true, false, false, StreamDeclarations.Arguments(
                    new StreamRetention { MaxAge = "2h", MaxLengthBytes = 20_000_000, MaxSegmentSizeBytes = 1_000_000 }));
            }

            await using var other = await connection.CreateChannelAsync();
            var refused = await Assert.ThrowsAsync<RabbitMQ.Client.Exceptions.OperationInterruptedException>(() =>
                other.QueueDeclareAsync(stream, true, false, false, StreamDeclarations.Arguments(
                    new StreamRetention { MaxAge = "1D", MaxLengthBytes = 20_000_000, MaxSegmentSizeBytes = 1_000_000 })));
            Assert.Equal((ushort)406, refused.ShutdownReason?.ReplyCode);
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    [Fact]
    public async Task A_stream_that_exists_with_other_retention_is_used_as_it_is()
    {
        var stream = StreamTestServices.UniqueStream("existing");
        await using var services = new StreamTestServices(settings: new Dictionary<string, string?> { ["Orbit:Streams:Retention:MaxAge"] = "3D" });
        try
        {
            await using (var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync(stream, true, false, false, new Dictionary<string, object?> { ["x-queue-type"] = "stream" });
            }

            await services.Publisher.PublishAsync(stream, new StreamProbe("p", 1, DateTimeOffset.UnixEpoch), CancellationToken.None);
            var records = await ReadAsync<StreamProbe>(services.Reader, stream, 0, 1);

            Assert.Equal(1, records[0].Message!.Sequence);
        }
        finally
        {
            await StreamTestServices.DeleteAsync(stream);
        }
    }

    internal static async Task<List<StreamRecord<T>>> ReadAsync<T>(IStreamReader reader, string stream, long from, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var records = new List<StreamRecord<T>>();
        await foreach (var record in reader.ReadAsync<T>(stream, from, timeout.Token))
        {
            records.Add(record);
            if (records.Count == count)
            {
                break;
            }
        }

        return records;
    }

    private static async Task PublishRawAsync(string stream, string body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestInfrastructure.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync("", stream, true, new BasicProperties(), Encoding.UTF8.GetBytes(body));
    }
}
