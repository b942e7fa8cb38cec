using System.Globalization;

namespace Orbit.EndToEnd.Tests.Batch;

/// <summary>A CSV output of a batch job (row, id, y_0…): what the tests check against the input.</summary>
internal sealed record BatchOutput(List<long> Rows, List<string> Ids, List<float[]> Values)
{
    public static BatchOutput Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,id,y_0,y_1,y_2", lines[0].TrimEnd('\r'));
        var output = new BatchOutput([], [], []);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.TrimEnd('\r').Split(',');
            output.Rows.Add(long.Parse(cells[0], CultureInfo.InvariantCulture));
            output.Ids.Add(cells[1]);
            output.Values.Add(cells.Skip(2).Select(c => float.Parse(c, CultureInfo.InvariantCulture)).ToArray());
        }

        return output;
    }

    /// <summary>Every input row but <paramref name="skipped"/>, each exactly once, in input order, with its own id.</summary>
    public void AssertEveryRowOnceInOrder(int inputRows, ISet<int>? skipped = null)
    {
        var expected = Enumerable.Range(0, inputRows).Where(r => skipped?.Contains(r) != true).Select(r => (long)r).ToList();
        Assert.Equal(expected.Count, Rows.Count);
        Assert.Equal(expected, Rows);
        Assert.Equal(expected.Select(r => "id" + r), Ids);
    }
}
