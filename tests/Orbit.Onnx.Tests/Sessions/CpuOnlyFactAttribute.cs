namespace Orbit.Onnx.Tests.Sessions;

/// <summary>A test of the CPU fallback: skipped, with the reason shown, on a machine that has a GPU.</summary>
public sealed class CpuOnlyFactAttribute : FactAttribute
{
    public CpuOnlyFactAttribute()
    {
        if (File.Exists("/dev/nvidia0"))
        {
            Skip = "This machine has a GPU (/dev/nvidia0): the test checks what happens without one.";
        }
    }
}
