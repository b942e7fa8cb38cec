using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Onnx.Tests.Sessions;

public sealed class RunTests
{
    [Fact]
    public void Positional_inputs_produce_the_sum()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var b = OnnxTensor.FromArray(new float[] { 10, 20, 30, 40, 50, 60 }, 2, 3);

        using var result = session.Run(a, b);

        Assert.Equal([2L, 3L], result["sum"].Shape.ToArray());
        Assert.Equal([11f, 22f, 33f, 44f, 55f, 66f], result[0].ToArray<float>());
    }

    [Fact]
    public void Named_inputs_may_come_in_any_order()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        using var b = OnnxTensor.FromArray(new float[] { 1, 1, 1 }, 1, 3);

        using var result = session.Run(new Dictionary<string, OnnxTensor> { ["b"] = b, ["a"] = a });

        Assert.Equal([2f, 3f, 4f], result[0].ToArray<float>());
    }

    [Fact]
    public void A_preallocated_output_is_written_in_place()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        var into = new float[3];
        using var output = OnnxTensor.FromArray(into, 1, 3);

        session.Run([a, a], [output]);

        Assert.Equal([2f, 4f, 6f], into);
    }

    [Fact]
    public void Inputs_are_read_from_the_callers_memory_without_a_copy()
    {
        using var session = TestModels.Open(TestModels.Add());
        var data = new float[] { 1, 2, 3 };
        using var a = OnnxTensor.FromArray(data, 1, 3);
        data[0] = 100;

        using var result = session.Run(a, a);

        Assert.Equal(200f, result[0].AsSpan<float>()[0]);
    }

    [Fact]
    public void Pooled_and_ORT_allocated_inputs_run_like_arrays()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.Rent<float>(1, 3);
        using var b = OnnxTensor.Allocate<float>(1, 3);
        a.AsSpan<float>().Fill(2);
        b.AsSpan<float>().Fill(0.5f);

        using var result = session.Run(a, b);

        Assert.Equal([2.5f, 2.5f, 2.5f], result[0].ToArray<float>());
    }

    [Fact]
    public void An_empty_batch_runs()
    {
        using var session = TestModels.Open(TestModels.Add());
        using var a = OnnxTensor.FromArray(Array.Empty<float>(), 0, 3);

        using var result = session.Run(a, a);

        Assert.Equal([0L, 3L], result[0].Shape.ToArray());
    }

    [Fact]
    public void Many_threads_can_run_one_session_at_once()
    {
        using var session = TestModels.Open(TestModels.Add());
        var failures = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var i = 0; i < 200; i++)
            {
                var value = thread * 1000 + i;
                using var a = OnnxTensor.FromArray(new float[] { value, value, value }, 1, 3);
                using var b = OnnxTensor.FromArray(new float[] { 1, 2, 3 }, 1, 3);
                using var result = session.Run(a, b);
                var sum = result[0].AsSpan<float>();
                if (sum[0] != value + 1 || sum[1] != value + 2 || sum[2] != value + 3)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
    }
}
