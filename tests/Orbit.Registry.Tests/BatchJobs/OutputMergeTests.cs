using System.Text.Json;
using Orbit.Contracts.Inference;
using Orbit.Registry.BatchJobs;
using Parquet;
using Parquet.Schema;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class OutputMergeTests
{
    private static InferenceTensor Floats(string name, long[] shape, params float[] values) =>
        new(name, "FP32", shape, RawData: System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    private static StagedChunk Chunk(params long[] rows) => new(rows, rows.Select(r => new string?[] { "id" + r }).ToArray(), []);

    [Fact]
    public void An_output_with_several_values_per_row_becomes_one_column_per_value_and_a_single_value_one_column()
    {
        var (part, error) = PartFile.From(Chunk(4, 5), [Floats("y", [2, 3], 1, 2, 3, 4, 5, 6), Floats("p", [2], 0.5f, 0.25f)]);

        Assert.Null(error);
        Assert.Equal(["y_0", "y_1", "y_2", "p"], part!.Columns.Select(c => c.Name));
        Assert.Equal(["1", "4"], part.Columns[0].Values);
        Assert.Equal(["3", "6"], part.Columns[2].Values);
        Assert.Equal(["0.5", "0.25"], part.Columns[3].Values);
    }

    [Fact]
    public void Outputs_that_do_not_have_a_row_per_input_row_are_refused()
    {
        var (_, error) = PartFile.From(Chunk(0, 1, 2), [Floats("y", [2, 1], 1, 2)]);

        Assert.Contains("a chunk of 3 rows", error);
    }

    [Fact]
    public async Task Csv_output_has_row_then_kept_then_output_columns_in_chunk_order()
    {
        var text = System.Text.Encoding.UTF8.GetString(await MergeAsync(BatchFormat.Csv));

        Assert.Equal("row,id,y_0,y_1\n0,id0,1,2\n1,id1,3,4\n2,id2,5,6\n", text.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Jsonl_output_has_one_object_per_row_with_numbers_as_numbers()
    {
        var lines = System.Text.Encoding.UTF8.GetString(await MergeAsync(BatchFormat.Jsonl)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(3, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, first.RootElement.GetProperty("row").GetInt64());
        Assert.Equal("id0", first.RootElement.GetProperty("id").GetString());
        Assert.Equal(2.0, first.RootElement.GetProperty("y_1").GetDouble());
    }

    [Fact]
    public async Task Parquet_output_reads_back_with_the_same_columns_and_rows()
    {
        using var stream = new MemoryStream(await MergeAsync(BatchFormat.Parquet));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["row", "id", "y_0", "y_1"], fields.Select(f => f.Name));
        var rows = new List<long>();
        var y1 = new List<double>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var r = new long[group.RowCount];
            await group.ReadAsync<long>(fields[0], r.AsMemory(), null, CancellationToken.None);
            var y = new double[group.RowCount];
            await group.ReadAsync<double>(fields[3], y.AsMemory(), null, CancellationToken.None);
            rows.AddRange(r);
            y1.AddRange(y);
        }

        Assert.Equal([0L, 1L, 2L], rows);
        Assert.Equal([2.0, 4.0, 6.0], y1);
    }

    [Theory]
    [InlineData(BatchFormat.Csv)]
    [InlineData(BatchFormat.Jsonl)]
    public async Task Fragments_written_as_chunks_complete_concatenate_to_the_same_output_as_a_merge_of_the_parts(string format)
    {
        var fragments = new List<byte[]>();
        foreach (var part in Parts())
        {
            using var fragment = new MemoryStream();
            await OutputMerger.WriteFragmentAsync(format, fragment, ["id"], part, CancellationToken.None);
            fragments.Add(fragment.ToArray());
        }

        using var output = new MemoryStream();
        await OutputMerger.ConcatenateAsync(format, output, ["id"], fragments.Select(f => (Func<Stream>)(() => new MemoryStream(f))), CancellationToken.None);

        Assert.Equal(System.Text.Encoding.UTF8.GetString(await MergeAsync(format)), System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task A_csv_output_without_parts_has_its_header_alone()
    {
        using var output = new MemoryStream();
        await OutputMerger.ConcatenateAsync(BatchFormat.Csv, output, ["id"], [], CancellationToken.None);

        Assert.Equal("row,id\n", System.Text.Encoding.UTF8.GetString(output.ToArray()).Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task A_part_kept_as_json_before_a_restart_is_merged_with_the_fragments_in_chunk_order()
    {
        var data = Directory.CreateTempSubdirectory("orbit-batch-fragments-").FullName;
        try
        {
            var files = new BatchFiles(new Orbit.Hosting.OrbitServiceInfo("registry", "test", DateTimeOffset.UtcNow, data));
            var store = new BatchChunkStore(files);
            var id = BatchFiles.NewJobId();
            var (first, second) = (Parts()[0], Parts()[1]);
            await store.WritePartAsync(id, 0, first); // as JSON, the way a registry from before fragments kept it
            await store.WritePartAsync(id, 1, BatchFormat.Csv, ["id"], second);

            var fragments = await store.FragmentsAsync(id, 3, BatchFormat.Csv, ["id"], CancellationToken.None);
            using var output = new MemoryStream();
            await OutputMerger.ConcatenateAsync(BatchFormat.Csv, output, ["id"], fragments, CancellationToken.None);

            Assert.Equal(2, fragments.Count);
            Assert.Equal("row,id,y_0,y_1\n0,id0,1,2\n1,id1,3,4\n2,id2,5,6\n", System.Text.Encoding.UTF8.GetString(output.ToArray()).Replace("\r\n", "\n"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Numbers_written_from_the_models_bytes_are_the_same_csv_and_jsonl_as_their_text()
    {
        foreach (var row in RawElementsTests.EdgeValues())
        {
            var (datatype, bytes) = ((string)row[0], (byte[])row[1]);
            var count = bytes.Length / ElementCodec.Size(datatype);
            var rows = count / 2;
            var outputs = new[] { new InferenceTensor("y", datatype, [rows, 2], RawData: bytes[..(rows * 2 * ElementCodec.Size(datatype))]), new InferenceTensor("z", datatype, [rows], RawData: bytes[..(rows * ElementCodec.Size(datatype))]) };
            var raw = PartFile.From(Chunk([.. Enumerable.Range(0, rows).Select(r => (long)r)]), outputs).Part!;
            // A part read back from JSON holds every value as text: the form every value had before it was formatted from its bytes.
            var text = JsonSerializer.Deserialize<PartFile>(JsonSerializer.Serialize(raw, BatchJobRow.Json), BatchJobRow.Json)!;
            Assert.All(raw.Columns, c => Assert.NotNull(c.Raw));
            Assert.All(text.Columns, c => Assert.Null(c.Raw));

            foreach (var format in new[] { BatchFormat.Csv, BatchFormat.Jsonl })
            {
                Assert.Equal(await FragmentAsync(format, text), await FragmentAsync(format, raw));
            }
        }
    }

    private static async Task<string> FragmentAsync(string format, PartFile part)
    {
        using var fragment = new MemoryStream();
        await OutputMerger.WriteFragmentAsync(format, fragment, ["id"], part, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(fragment.ToArray());
    }

    private static PartFile[] Parts() =>
    [
        PartFile.From(Chunk(0, 1), [Floats("y", [2, 2], 1, 2, 3, 4)]).Part!,
        PartFile.From(Chunk(2), [Floats("y", [1, 2], 5, 6)]).Part!,
    ];

    private static async Task<byte[]> MergeAsync(string format)
    {
        var first = PartFile.From(Chunk(0, 1), [Floats("y", [2, 2], 1, 2, 3, 4)]).Part!;
        var second = PartFile.From(Chunk(2), [Floats("y", [1, 2], 5, 6)]).Part!;
        using var output = new MemoryStream();
        await OutputMerger.WriteAsync(format, output, ["id"], [() => Task.FromResult(first), () => Task.FromResult(second)], CancellationToken.None);
        return output.ToArray();
    }
}
