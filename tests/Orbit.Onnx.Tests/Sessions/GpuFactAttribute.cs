namespace Orbit.Onnx.Tests.Sessions;

/// <summary>A test that needs a GPU and the GPU build (-p:OrbitGpu=true): skipped, with the reason shown, otherwise.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!File.Exists("/dev/nvidia0"))
        {
            Skip = "No GPU on this machine (/dev/nvidia0 is missing).";
        }
        else if (!OnnxRuntime.BuildProviders.Contains("CUDAExecutionProvider"))
        {
            Skip = "This is the CPU build of ONNX Runtime; build with -p:OrbitGpu=true to test CUDA.";
        }
    }
}
