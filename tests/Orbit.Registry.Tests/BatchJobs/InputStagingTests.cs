using Orbit.Hosting;
using Orbit.Registry.BatchJobs;
using Parquet;
using Parquet.Schema;
using static Orbit.Registry.Tests.BatchJobs.BatchTestData;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class InputStagingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("orbit-batch-staging-").FullName;
    private readonly BatchFiles _files;
    private readonly BatchChunkStore _store;

    public InputStagingTests()
    {
        _files = new BatchFiles(new OrbitServiceInfo("registry", "test", DateTimeOffset.UtcNow, _data));
        _store = new BatchChunkStore(_files);
    }

    [Fact]
    public async Task A_csv_is_staged_in_chunks_of_good_rows_and_its_bad_rows_go_to_the_errors_file_with_line_and_reason()
    {
        var job = await InputAsync(BatchFormat.Csv, Abc("id"), 2,
            "id,c,b,a\n" +
            "r0,3,2,1\n" +
            "r1,x,2,1\n" +       // not a number
            "\n" +               // blank: skipped, not a row
            "r2,6,5,4\n" +
            "r3,1,2\n" +         // too few values
            "\"r,4\",9,8,7\n");

        var result = await new InputStager(_files, _store).StageAsync(job, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(5, result.RowsTotal);
        Assert.Equal(2, result.RowsFailed);
        Assert.Equal([2, 1], result.ChunkRows);
        var first = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None);
        Assert.Equal([0L, 2L], first.Rows);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], Floats(first.Inputs[0]));
        Assert.Equal(["r0", "r2"], first.Kept.Select(k => k[0]));
        var second = await _store.ReadChunkAsync(job.Id, 1, CancellationToken.None);
        Assert.Equal([4L], second.Rows);
        Assert.Equal("r,4", second.Kept[0][0]);
        // A chunk's answer reads its rows and kept values alone.
        var withoutInputs = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None, withInputs: false);
        Assert.Equal([0L, 2L], withoutInputs.Rows);
        Assert.Equal(["r0", "r2"], withoutInputs.Kept.Select(k => k[0]));
        Assert.Empty(withoutInputs.Inputs);
        var errors = File.ReadAllLines(_files.Errors(job.Id));
        Assert.Equal("row,line,reason", errors[0]);
        Assert.StartsWith("1,3,", errors[1]);
        Assert.Contains("column 'c': 'x' is not a FP32 value", errors[1]);
        Assert.StartsWith("3,6,", errors[2]);
        Assert.Contains("has 3 values; the header has 4", errors[2]);
    }

    [Fact]
    public async Task A_csv_with_a_byte_order_mark_and_crlf_line_endings_keeps_its_text_values_as_written()
    {
        var job = await InputAsync(BatchFormat.Csv, Abc("id"), 10,
            "\uFEFFid,a,b,c\r\n" +
            "Zoë,1,2,3\r\n" +
            "\"q\"\"é\",4,5, 6 \r\n" +
            "日本,7,x,9\r\n");

        var result = await new InputStager(_files, _store).StageAsync(job, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(3, result.RowsTotal);
        Assert.Equal(1, result.RowsFailed);
        var chunk = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], Floats(chunk.Inputs[0]));
        Assert.Equal(["Zoë", "q\"é"], chunk.Kept.Select(k => k[0]));
        var errors = File.ReadAllLines(_files.Errors(job.Id));
        Assert.StartsWith("2,4,", errors[1]);
        Assert.Contains("column 'b': 'x' is not a FP32 value", errors[1]);
    }

    [Fact]
    public async Task Lines_longer_than_the_32_byte_comma_search_split_at_every_comma()
    {
        var longId = new string('x', 29);
        var job = await InputAsync(BatchFormat.Csv, Abc("id"), 10,
            "id,a,b,c\n" +
            $"{longId},1.25,2.5,3.75\n" +                     // commas at bytes 29, 34, 38: either side of 32
            $"{longId}{longId},4,5,6\n" +                     // first comma at byte 58
            $"{longId},1.0000000000000000000000000000000001,2,3,4\n" + // one value too many, past byte 64
            "y,7,8,9\n");

        var result = await new InputStager(_files, _store).StageAsync(job, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(4, result.RowsTotal);
        Assert.Equal(1, result.RowsFailed);
        var chunk = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None);
        Assert.Equal([1.25f, 2.5f, 3.75f, 4f, 5f, 6f, 7f, 8f, 9f], Floats(chunk.Inputs[0]));
        Assert.Equal([longId, longId + longId, "y"], chunk.Kept.Select(k => k[0]));
        Assert.Contains("has 5 values; the header has 4", File.ReadAllLines(_files.Errors(job.Id))[1]);
    }

    [Fact]
    public async Task Jsonl_lines_fill_the_inputs_from_oip_tensors_and_keep_top_level_fields()
    {
        var mapping = Abc("id") with { Columns = [] };
        var job = await InputAsync(BatchFormat.Jsonl, mapping, 10,
            """
            {"id": "a", "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [[1, 2, 3]]}]}
            {"id": 7, "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [1, 2]}]}
            not json
            [{"name": "x", "data": [4, 5, 6]}]
            {"id": "b", "inputs": [{"name": "x", "datatype": "INT64", "data": [1, 2, 3]}]}
            """);

        var result = await new InputStager(_files, _store).StageAsync(job, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(5, result.RowsTotal);
        Assert.Equal(3, result.RowsFailed);
        var chunk = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None);
        Assert.Equal([0L, 3L], chunk.Rows);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], Floats(chunk.Inputs[0]));
        Assert.Equal(["a", null], chunk.Kept.Select(k => k[0]));
        var errors = File.ReadAllLines(_files.Errors(job.Id));
        Assert.Contains("has 2 values; the model takes 3 per row", errors[1]);
        Assert.Contains("not valid JSON", errors[2]);
        Assert.Contains("is INT64; the model takes FP32", errors[3]);
    }

    [Fact]
    public async Task A_parquet_file_is_read_by_column_name()
    {
        var job = BatchTestData.Job(BatchFiles.NewJobId(), BatchFormat.Parquet, Abc("id"), 100);
        Directory.CreateDirectory(_files.Job(job.Id));
        await using (var stream = File.Create(_files.Input(job.Id)))
        {
            var fields = new DataField[] { new DataField<string>("id"), new DataField<double>("a"), new DataField<float>("b"), new DataField<long>("c") };
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], new[] { "p", "q" }, null);
            await group.WriteAsync<double>(fields[1], new[] { 1.5, 4.0 }.AsMemory(), null, null, CancellationToken.None);
            await group.WriteAsync<float>(fields[2], new[] { 2f, 5f }.AsMemory(), null, null, CancellationToken.None);
            await group.WriteAsync<long>(fields[3], new[] { 3L, 6L }.AsMemory(), null, null, CancellationToken.None);
        }

        var result = await new InputStager(_files, _store).StageAsync(job, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(2, result.RowsTotal);
        Assert.Equal(0, result.RowsFailed);
        var chunk = await _store.ReadChunkAsync(job.Id, 0, CancellationToken.None);
        Assert.Equal([1.5f, 2f, 3f, 4f, 5f, 6f], Floats(chunk.Inputs[0]));
        Assert.Equal(["p", "q"], chunk.Kept.Select(k => k[0]));
    }

    private async Task<BatchJobRow> InputAsync(string format, BatchMapping mapping, int chunkSize, string content)
    {
        var job = BatchTestData.Job(BatchFiles.NewJobId(), format, mapping, chunkSize);
        Directory.CreateDirectory(_files.Job(job.Id));
        await File.WriteAllTextAsync(_files.Input(job.Id), content);
        return job;
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
