using System.Diagnostics;

namespace Orbit.Onnx.Bench;

/// <summary>Warm up, pick a batch size that makes one sample ~50 ms, then report the median µs per call.</summary>
internal static class Measure
{
    public static double MedianMicroseconds(Action run, int samples, TimeSpan warmUp)
    {
        var clock = Stopwatch.StartNew();
        var calls = 0L;
        while (clock.Elapsed < warmUp)
        {
            run();
            calls++;
        }
        var perSample = Math.Max(1, (int)(calls * 0.05 / Math.Max(warmUp.TotalSeconds, 1e-3)));
        var results = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < perSample; i++)
            {
                run();
            }
            results[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / perSample;
        }
        Array.Sort(results);
        return results[samples / 2];
    }
}
