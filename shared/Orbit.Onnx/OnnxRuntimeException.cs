using System.Text.RegularExpressions;

namespace Orbit.Onnx;

/// <summary>An error reported by ONNX Runtime, with ORT's own code and message.</summary>
public sealed partial class OnnxRuntimeException(OrtErrorCode code, string message, Exception? inner = null)
    : Exception($"[{code}] {message}", inner)
{
    public OrtErrorCode Code { get; } = code;

    public string OrtMessage { get; } = message;

    /// <summary>The official binding's exception, whose code only shows in its message: "[ErrorCode:Fail] …".</summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException error)
    {
        var match = CodePrefix().Match(error.Message);
        if (match.Success && Enum.TryParse<OrtErrorCode>(match.Groups[1].Value, out var code))
        {
            return new OnnxRuntimeException(code, error.Message[match.Length..], error);
        }
        return new OnnxRuntimeException(OrtErrorCode.Fail, error.Message, error);
    }

    [GeneratedRegex(@"^\[ErrorCode:(\w+)\] ")]
    private static partial Regex CodePrefix();
}
