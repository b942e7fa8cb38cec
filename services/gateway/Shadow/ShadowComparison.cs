using Orbit.Contracts.Inference;

namespace Orbit.Gateway.Shadow;

internal enum ComparisonKind
{
    /// <summary>Rows compared as class labels.</summary>
    Classification,

    /// <summary>Values compared as numbers.</summary>
    Numeric,

    /// <summary>The answers could not be lined up: no common output, shapes that differ, or elements that do not match their shape.</summary>
    Incomparable,
}

/// <summary>How one pair of answers compared: rows (and how many agreed) for labels, values and their summed absolute difference for numbers.</summary>
internal readonly record struct PairComparison(ComparisonKind Kind, long Rows, long AgreedRows, long Values, double AbsDiffSum)
{
    public static PairComparison Incomparable { get; } = new(ComparisonKind.Incomparable, 0, 0, 0, 0);
}

/// <summary>
/// What the stable version's metadata says about its prediction, as the retrainer writes it: <c>prediction.output</c>
/// (the output to compare), <c>prediction.threshold</c> (a binary classifier's decision threshold on a probability)
/// and how many <c>classes</c> there are. <see cref="None"/> when the metadata says nothing (or could not be read).
/// </summary>
internal sealed record ShadowHint(string? Output, double? Threshold, int? Classes)
{
    public static ShadowHint None { get; } = new(null, null, null);
}

/// <summary>
/// Compares stable's and the shadow's answers to the same request, on one output: the hint's, else the first output both
/// answers have. Labels are compared row by row — BYTES and integer outputs as they are; a float <c>[batch, k]</c> output of
/// a model with classes by its argmax; a float one-per-row output by the hint's threshold (0.5 for two classes without one).
/// Any other output is numeric: the absolute difference of each element.
/// </summary>
internal static class ShadowComparison
{
    public static PairComparison Compare(IReadOnlyList<InferenceTensor> stable, IReadOnlyList<InferenceTensor> shadow, ShadowHint hint)
    {
        var (a, b) = Pick(stable, shadow, hint.Output);
        if (a is null || b is null || OutputValues.Read(a) is not { } left || OutputValues.Read(b) is not { } right
            || !left.Shape.AsSpan().SequenceEqual(right.Shape) || left.Count != right.Count || (left.Texts is null) != (right.Texts is null))
        {
            return PairComparison.Incomparable;
        }

        if (left.Texts is not null || !left.IsFloat)
        {
            return Labels(left, right);
        }

        if (left.Width > 1 && hint.Classes is not null)
        {
            return Argmax(left, right);
        }

        var threshold = hint.Threshold ?? (hint.Classes == 2 ? 0.5 : null);
        if (left.Width == 1 && threshold is { } t)
        {
            return Thresholded(left, right, t);
        }

        return Numbers(left, right);
    }

    private static (InferenceTensor? Stable, InferenceTensor? Shadow) Pick(IReadOnlyList<InferenceTensor> stable, IReadOnlyList<InferenceTensor> shadow, string? named)
    {
        if (named is not null && Find(stable, named) is { } a && Find(shadow, named) is { } b)
        {
            return (a, b);
        }

        foreach (var tensor in stable)
        {
            if (Find(shadow, tensor.Name) is { } match)
            {
                return (tensor, match);
            }
        }

        return (null, null);
    }

    private static InferenceTensor? Find(IReadOnlyList<InferenceTensor> tensors, string name)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        return null;
    }

    private static PairComparison Labels(OutputValues a, OutputValues b)
    {
        var agreed = 0L;
        for (var row = 0L; row < a.Rows; row++)
        {
            var same = true;
            for (var i = row * a.Width; i < (row + 1) * a.Width && same; i++)
            {
                same = a.Texts is { } texts ? texts[i] == b.Texts![i] : a.Numbers![i].Equals(b.Numbers![i]);
            }

            agreed += same ? 1 : 0;
        }

        return new PairComparison(ComparisonKind.Classification, a.Rows, agreed, 0, 0);
    }

    private static PairComparison Argmax(OutputValues a, OutputValues b)
    {
        var agreed = 0L;
        for (var row = 0L; row < a.Rows; row++)
        {
            agreed += ArgmaxOf(a.Numbers!, row * a.Width, a.Width) == ArgmaxOf(b.Numbers!, row * a.Width, a.Width) ? 1 : 0;
        }

        return new PairComparison(ComparisonKind.Classification, a.Rows, agreed, 0, 0);
    }

    private static long ArgmaxOf(double[] values, long start, long width)
    {
        var best = start;
        for (var i = start + 1; i < start + width; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best - start;
    }

    private static PairComparison Thresholded(OutputValues a, OutputValues b, double threshold)
    {
        var agreed = 0L;
        for (var i = 0; i < a.Numbers!.Length; i++)
        {
            agreed += (a.Numbers[i] >= threshold) == (b.Numbers![i] >= threshold) ? 1 : 0;
        }

        return new PairComparison(ComparisonKind.Classification, a.Numbers.Length, agreed, 0, 0);
    }

    private static PairComparison Numbers(OutputValues a, OutputValues b)
    {
        var values = 0L;
        var sum = 0.0;
        for (var i = 0; i < a.Numbers!.Length; i++)
        {
            var difference = Math.Abs(a.Numbers[i] - b.Numbers![i]);
            if (double.IsFinite(difference))
            {
                values++;
                sum += difference;
            }
        }

        return values == 0 ? PairComparison.Incomparable : new PairComparison(ComparisonKind.Numeric, 0, 0, values, sum);
    }
}
