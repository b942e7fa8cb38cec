using System.Runtime.InteropServices;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Batching;

/// <summary>Whether a model's requests may be merged along dimension 0, and if not, why.</summary>
internal sealed record BatchingVerdict(bool CanBatch, string Reason)
{
    public static BatchingVerdict No(string reason) => new(false, reason);
}

/// <summary>
/// Merging requests is only correct when the model treats rows independently. A free first dimension
/// says nothing about that (<c>x − ReduceMean(x, axes=[0])</c> has one and mixes rows), so at load time
/// the worker runs a few synthetic rows one by one and merged, and batches only when every output
/// agrees within tolerance. Anything else (a fixed first dimension, a run that fails, outputs that
/// differ or do not keep the row count) serves the model unbatched.
/// </summary>
internal static class BatchingProbe
{
    private const int Rows = 3;

    /// <summary>Symbolic non-batch dimensions get this size in the synthetic rows.</summary>
    private const int FreeSize = 2;

    public static BatchingVerdict Check(OnnxSession session)
    {
        if (!session.Inputs.All(FreeFirstDimension) || !session.Outputs.All(FreeFirstDimension))
        {
            return BatchingVerdict.No("an input or output has a fixed (or no) first dimension");
        }

        var random = new Random(20261130);
        var rows = new OnnxTensor[Rows][];
        try
        {
            for (var r = 0; r < Rows; r++)
            {
                rows[r] = [.. session.Inputs.Select(input => Synthetic(input, 1, random))];
            }

            var alone = new RunResult[Rows];
            try
            {
                for (var r = 0; r < Rows; r++)
                {
                    alone[r] = session.Run(rows[r]);
                }

                var merged = new OnnxTensor[session.Inputs.Count];
                try
                {
                    for (var i = 0; i < merged.Length; i++)
                    {
                        merged[i] = Concatenate([.. rows.Select(r => r[i])]);
                    }

                    using var together = session.Run(merged);
                    return Compare(session, alone, together);
                }
                finally
                {
                    foreach (var tensor in merged)
                    {
                        tensor?.Dispose();
                    }
                }
            }
            finally
            {
                foreach (var result in alone)
                {
                    result?.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return BatchingVerdict.No($"the load-time batching check could not run synthetic rows: {ex.Message}");
        }
        finally
        {
            foreach (var tensor in rows.Where(r => r is not null).SelectMany(r => r))
            {
                tensor?.Dispose();
            }
        }
    }

    private static BatchingVerdict Compare(OnnxSession session, RunResult[] alone, RunResult together)
    {
        for (var o = 0; o < together.Count; o++)
        {
            var name = session.Outputs[o].Name;
            var batched = together[o];
            if (batched.Shape.Length == 0 || batched.Shape[0] != Rows)
            {
                return BatchingVerdict.No($"output '{name}' of {Rows} merged rows has shape {ElementTypes.FormatShape(batched.Shape)}, not {Rows} rows");
            }

            var perRow = batched.ElementCount / Rows;
            for (var r = 0; r < Rows; r++)
            {
                var single = alone[r][o];
                if (single.ElementCount != perRow || !single.Shape[1..].SequenceEqual(batched.Shape[1..]))
                {
                    return BatchingVerdict.No($"output '{name}' has shape {ElementTypes.FormatShape(single.Shape)} for one row but {ElementTypes.FormatShape(batched.Shape)} for {Rows}");
                }

                if (Differs(single, batched, r * perRow, perRow) is { } where)
                {
                    return BatchingVerdict.No(
                        $"output '{name}' differs between a run of {Rows} merged rows and one-by-one runs ({where}): the model does not treat rows independently");
                }
            }
        }

        return new BatchingVerdict(true, $"{Rows} synthetic rows gave the same outputs merged and one by one");
    }

    private static string? Differs(OnnxTensor single, OnnxTensor batched, long offset, long count)
    {
        switch (single.ElementType)
        {
            case TensorElementType.Float:
                return Close(single.AsSpan<float>(), batched.AsSpan<float>().Slice((int)offset, (int)count), v => v, 1e-4);
            case TensorElementType.Double:
                return Close(single.AsSpan<double>(), batched.AsSpan<double>().Slice((int)offset, (int)count), v => v, 1e-9);
            case TensorElementType.Float16:
                return Close(single.AsSpan<Half>(), batched.AsSpan<Half>().Slice((int)offset, (int)count), v => (double)v, 1e-2);
            case TensorElementType.BFloat16:
                return Close(single.AsSpan<BFloat16>(), batched.AsSpan<BFloat16>().Slice((int)offset, (int)count), v => (double)(float)v, 2e-2);
            case TensorElementType.String:
                return single.GetStrings().AsSpan().SequenceEqual(batched.GetStrings().AsSpan((int)offset, (int)count)) ? null : "strings differ";
            default:
                var size = ElementTypes.SizeOf(single.ElementType);
                return single.AsBytes().SequenceEqual(batched.AsBytes().Slice((int)(offset * size), (int)(count * size))) ? null : "values differ";
        }
    }

    /// <summary>
    /// Within a relative tolerance: kernels may sum in a different order at another batch size, which
    /// moves the last bits, not the answer.
    /// </summary>
    private static string? Close<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, Func<T, double> value, double tolerance)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            double a = value(expected[i]), b = value(actual[i]);
            if (double.IsNaN(a) && double.IsNaN(b))
            {
                continue;
            }

            if (!(Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)))))
            {
                return $"element {i}: {a} alone, {b} merged";
            }
        }

        return null;
    }

    private static OnnxTensor Synthetic(TensorMetadata input, long rows, Random random)
    {
        var shape = new long[input.Dimensions.Count];
        shape[0] = rows;
        for (var d = 1; d < shape.Length; d++)
        {
            shape[d] = input.Dimensions[d].IsFixed ? input.Dimensions[d].Size : FreeSize;
        }

        var count = (int)ElementTypes.ElementCount(shape);
        if (input.ElementType == TensorElementType.String)
        {
            return OnnxTensor.FromStrings([.. Enumerable.Range(0, count).Select(_ => random.Next(2) == 0 ? "a" : "b")], shape);
        }

        // Small values: floats in [-1, 1]; integers 0 or 1, so a model that indexes with them stays in range.
        byte[] bytes = input.ElementType switch
        {
            TensorElementType.Float => Bytes(count, () => (float)(random.NextDouble() * 2 - 1)),
            TensorElementType.Double => Bytes(count, () => random.NextDouble() * 2 - 1),
            TensorElementType.Float16 => Bytes(count, () => (Half)(random.NextDouble() * 2 - 1)),
            TensorElementType.BFloat16 => Bytes(count, () => (BFloat16)(float)(random.NextDouble() * 2 - 1)),
            _ => Bytes(count * ElementTypes.SizeOf(input.ElementType), random, input.ElementType),
        };
        return OnnxTensor.FromBytes(input.ElementType, bytes, shape);
    }

    private static byte[] Bytes<T>(int count, Func<T> next)
        where T : unmanaged
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next();
        }

        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    /// <summary>Integers and booleans, little-endian: each element 0 or 1.</summary>
    private static byte[] Bytes(int length, Random random, TensorElementType type)
    {
        var size = ElementTypes.SizeOf(type);
        var bytes = new byte[length];
        for (var i = 0; i < length; i += size)
        {
            bytes[i] = (byte)random.Next(2);
        }

        return bytes;
    }

    private static OnnxTensor Concatenate(OnnxTensor[] parts)
    {
        var shape = parts[0].Shape.ToArray();
        shape[0] = parts.Sum(p => p.Shape[0]);
        if (parts[0].ElementType == TensorElementType.String)
        {
            return OnnxTensor.FromStrings([.. parts.SelectMany(p => p.GetStrings())], shape);
        }

        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            bytes.AddRange(part.AsBytes());
        }

        return OnnxTensor.FromBytes(parts[0].ElementType, CollectionsMarshal.AsSpan(bytes), shape);
    }

    private static bool FreeFirstDimension(TensorMetadata metadata) =>
        metadata.Kind == ValueKind.Tensor && metadata.Dimensions.Count > 0 && !metadata.Dimensions[0].IsFixed;
}
