using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Tensors;

namespace Orbit.Registry.Bench;

/// <summary>
/// x[1,rows] → MatMul W[rows,1000] → y[1,1000], with W sized so the file is about <c>sizeMb</c> × 10^6 bytes.
/// Each run's file differs only in its graph name, so the registry cannot deduplicate it.
/// </summary>
internal sealed class UploadModel
{
    private const int Columns = 1000;
    private readonly int _rows;
    private readonly TensorProto _weights;

    public UploadModel(int sizeMb)
    {
        _rows = sizeMb * 250; // rows × 1000 floats × 4 bytes = sizeMb × 10^6 bytes
        var values = new float[(long)_rows * Columns];
        var random = new Random(42);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }

        _weights = TensorProto.FromSpan<float>("W", values, _rows, Columns);
    }

    /// <summary>Writes run <paramref name="run"/>'s model and flushes it to disk, so its dirty pages do not land inside a timing.</summary>
    public void Write(string path, int run)
    {
        var bytes = new ModelBuilder { GraphName = $"upload_bench_{run}" }
            .AddInput("x", TensorElementType.Float, 1, _rows)
            .AddInitializer(_weights)
            .AddNode("MatMul", ["x", "W"], ["y"])
            .AddOutput("y", TensorElementType.Float, 1, Columns)
            .ToBytes();
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}
