using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Bench;

/// <summary>One model with fixed inputs, measured by us and by the peer alike.</summary>
internal sealed record BenchCase(string Name, string ModelPath, IReadOnlyList<BenchInput> Inputs);

internal sealed record BenchInput(string Name, long[] Shape)
{
    public float[] Values()
    {
        var values = new float[ElementTypes.ElementCount(Shape)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 17 - 8) * 0.125f;
        }
        return values;
    }
}
