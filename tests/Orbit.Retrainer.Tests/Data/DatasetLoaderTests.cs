using Orbit.Retrainer.Data;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orbit-datasets-").FullName;

    [Fact]
    public void A_dataset_is_read_by_the_models_feature_names_in_their_order()
    {
        File.WriteAllText(Path.Combine(_root, "train.csv"), "x1,label,x0,extra\n2,yes,1,9\n4,no,3,9\n");

        var (features, labels) = DatasetLoader.Load(_root, "train.csv", ["x0", "x1"], "label", LearningTask.BinaryClassification, "yes");

        Assert.Equal([[1f, 2f], [3f, 4f]], features);
        Assert.Equal([1.0, 0.0], labels);
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside.csv")]
    public void A_path_outside_the_root_is_refused(string path)
    {
        var error = Assert.Throws<DatasetException>(() => DatasetLoader.Confine(_root, path));

        Assert.Contains("outside the dataset root", error.Message);
    }

    [Fact]
    public void A_link_that_leaves_the_root_is_refused()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"orbit-outside-{Guid.NewGuid():N}.csv");
        File.WriteAllText(outside, "x0,label\n1,1\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_root, "link.csv"), outside);

            var error = Assert.Throws<DatasetException>(() => DatasetLoader.Confine(_root, "link.csv"));

            Assert.Contains("links outside", error.Message);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void Without_a_root_no_dataset_is_allowed()
    {
        Assert.Contains("DatasetRoot", Assert.Throws<DatasetException>(() => DatasetLoader.Confine(null, "a.csv")).Message);
    }

    [Fact]
    public void A_dataset_without_a_feature_column_names_it()
    {
        File.WriteAllText(Path.Combine(_root, "train.csv"), "x0,label\n1,1\n");

        var error = Assert.Throws<DatasetException>(() => DatasetLoader.Load(_root, "train.csv", ["x0", "x9"], "label", LearningTask.Regression, "1"));

        Assert.Contains("x9", error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
