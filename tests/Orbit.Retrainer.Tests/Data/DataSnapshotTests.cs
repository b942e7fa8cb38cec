using System.Security.Cryptography;
using Orbit.Retrainer.Data;
using Orbit.Retrainer.Tests.Training;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Tests.Data;

public sealed class DataSnapshotTests
{
    [Fact]
    public void The_same_rows_always_hash_the_same_and_a_changed_value_changes_the_hash()
    {
        var table = GeneratedData.Classification(100, seed: 1);
        var again = GeneratedData.Classification(100, seed: 1);
        var changed = again with { Features = [.. again.Features.Select(f => (float[])f.Clone())] };
        changed.Features[42][1] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(changed.Features[42][1]) + 1);

        Assert.Equal(DataSnapshot.HashOf(table), DataSnapshot.HashOf(again));
        Assert.NotEqual(DataSnapshot.HashOf(table), DataSnapshot.HashOf(changed));
    }

    [Fact]
    public void The_canonical_encoding_is_fixed()
    {
        var table = new TrainingTable(LearningTask.Regression, ["a", "b"], [[1.5f, -0f], [0.1f, float.NaN]], [2, 1e-7]);

        Assert.Equal("a,b,label\n1.5,-0,2\n0.1,NaN,1E-07\n", System.Text.Encoding.UTF8.GetString(CanonicalCsv.Encode(table)));
        // Pinned: a change in the encoding changes every snapshot hash, so it must be deliberate.
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData("a,b,label\n1.5,-0,2\n0.1,NaN,1E-07\n"u8)), DataSnapshot.HashOf(table));
    }

    [Fact]
    public async Task A_snapshot_is_stored_under_its_hash_and_its_bytes_hash_to_it()
    {
        var directory = Directory.CreateTempSubdirectory("orbit-snapshot-").FullName;
        try
        {
            var table = GeneratedData.Regression(50, seed: 2);

            var (hash, path) = await DataSnapshot.StoreAsync(table, directory, CancellationToken.None);
            var (again, samePath) = await DataSnapshot.StoreAsync(table, directory, CancellationToken.None);

            Assert.Equal(hash, again);
            Assert.Equal(path, samePath);
            Assert.Equal(hash, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
            Assert.EndsWith(Path.Combine("snapshots", "sha256", hash[7..9], hash[9..] + ".csv"), path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_feature_name_that_cannot_be_a_column_is_refused()
    {
        var table = new TrainingTable(LearningTask.Regression, ["a,b"], [[1f]], [1]);

        Assert.Throws<ArgumentException>(() => CanonicalCsv.Encode(table));
    }
}
