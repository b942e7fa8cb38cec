using System.Globalization;

namespace Orbit.Onnx.Sessions;

/// <summary>A parsed provider name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
internal readonly record struct ExecutionProvider(string Kind, int DeviceId)
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";

    public static ExecutionProvider Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        var colon = trimmed.IndexOf(':');
        var kind = colon < 0 ? trimmed : trimmed[..colon];
        var device = 0;
        if (colon >= 0 && !int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out device))
        {
            throw new ArgumentException($"Execution provider '{text}' has a device that is not a number (expected e.g. cuda:0).");
        }
        return kind switch
        {
            Cpu when colon < 0 => new ExecutionProvider(Cpu, 0),
            Cuda => new ExecutionProvider(Cuda, device),
            _ => throw new ArgumentException($"Unknown execution provider '{text}'; expected cpu or cuda:N."),
        };
    }

    public override string ToString() => Kind == Cpu ? Cpu : $"{Kind}:{DeviceId.ToString(CultureInfo.InvariantCulture)}";
}
