using Orbit.Registry.BatchJobs;
using static Orbit.Registry.Tests.BatchJobs.BatchTestData;

namespace Orbit.Registry.Tests.BatchJobs;

public sealed class BatchMappingTests
{
    [Fact]
    public void Features_are_the_metadata_features_with_the_feature_role_in_their_order()
    {
        var mapping = Abc("id");

        Assert.Equal(["a", "b", "c"], mapping.Columns);
        Assert.Equal(["id"], mapping.Keep);
        Assert.Equal("FP32", mapping.Inputs[0].Datatype);
        Assert.Equal([3L], mapping.Inputs[0].RowShape);
    }

    [Fact]
    public void Columns_given_with_the_job_replace_the_metadata_features()
    {
        var (mapping, _) = BatchMapping.Resolve(BatchFormat.Csv, Version("{}", Input("x", "batch", "2")), ["q", "p"], []);

        Assert.Equal(["q", "p"], mapping!.Columns);
    }

    [Fact]
    public void A_version_without_features_and_no_columns_is_refused_naming_columns()
    {
        var (_, problem) = BatchMapping.Resolve(BatchFormat.Csv, Version("{}", Input("x", "batch", "3")), null, []);

        Assert.Equal("columns", problem!.Field);
        Assert.Contains("lists no features", problem.Detail);
    }

    [Fact]
    public void A_feature_count_that_does_not_fill_the_input_row_is_refused()
    {
        var (_, problem) = BatchMapping.Resolve(BatchFormat.Csv, Version(ThreeFeatures, Input("x", "batch", "4")), null, []);

        Assert.Equal("columns", problem!.Field);
        Assert.Contains("takes 4 values per row", problem.Detail);
    }

    [Fact]
    public void An_input_without_a_batch_dimension_is_refused_naming_the_model()
    {
        var (_, problem) = BatchMapping.Resolve(BatchFormat.Csv, Version(ThreeFeatures, Input("x", "1", "3")), null, []);

        Assert.Equal("model", problem!.Field);
    }

    [Fact]
    public void The_header_check_names_the_first_missing_feature_then_kept_column()
    {
        var mapping = Abc("id");

        Assert.Equal("columns", mapping.CheckHeader(["a", "c", "id"])!.Field);
        Assert.Contains("'b'", mapping.CheckHeader(["a", "c", "id"])!.Detail);
        Assert.Equal("keep", mapping.CheckHeader(["a", "b", "c"])!.Field);
        Assert.Null(mapping.CheckHeader(["id", "c", "b", "a", "extra"]));
    }

    [Fact]
    public void Jsonl_takes_every_model_input_and_no_columns()
    {
        var version = Version("{}", Input("x", "batch", "2"), Input("z", "batch", "1"));

        Assert.Equal(2, BatchMapping.Resolve(BatchFormat.Jsonl, version, null, []).Mapping!.Inputs.Count);
        Assert.Equal("columns", BatchMapping.Resolve(BatchFormat.Jsonl, version, ["a"], []).Problem!.Field);
        Assert.Equal("format", BatchMapping.Resolve(BatchFormat.Csv, version, ["a", "b"], []).Problem!.Field);
    }

    [Theory]
    [InlineData(0, 100, 0.01, false)]
    [InlineData(1, 100, 0.01, false)]
    [InlineData(2, 100, 0.01, true)]
    [InlineData(1, 10, 0.5, false)]
    public void A_job_fails_only_past_its_error_ratio(long failed, long total, double ratio, bool fails)
    {
        var reason = BatchScheduler.OverErrorRatio(failed, total, ratio);

        Assert.Equal(fails, reason is not null);
        if (fails)
        {
            Assert.Contains("maxErrorRatio", reason);
        }
    }
}
