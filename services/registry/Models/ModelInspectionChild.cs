using System.Text.Json;
using Orbit.Onnx;

namespace Orbit.Registry.Models;

/// <summary>
/// The registry started as <c>Orbit.Registry --inspect-model</c>: reads one <see cref="InspectionRequest"/> from
/// stdin, loads the model with ONNX Runtime, writes one <see cref="InspectionReply"/> to stdout and exits. An
/// upload that crashes or exhausts ORT then takes down this short-lived process, not the registry.
/// </summary>
internal static class ModelInspectionChild
{
    public const string Flag = "--inspect-model";

    /// <summary>The exit code when ONNX Runtime's native library is missing (the registry answers 503, not 422).</summary>
    public const int RuntimeMissingExitCode = 3;

    public static bool IsRequested(string[] args) => args is [Flag];

    public static async Task<int> RunAsync(TextReader input, TextWriter output)
    {
        var request = JsonSerializer.Deserialize<InspectionRequest>(await input.ReadToEndAsync(), JsonSerializerOptions.Web)
            ?? throw new InvalidDataException("no inspection request on stdin");
        try
        {
            var inspection = InProcessInspection.Inspect(request.Path, request.Options);
            await output.WriteLineAsync(JsonSerializer.Serialize(new InspectionReply(inspection.Signature, inspection.Error), JsonSerializerOptions.Web));
            return 0;
        }
        catch (OnnxRuntimeNotFoundException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return RuntimeMissingExitCode;
        }
    }
}

internal sealed record InspectionRequest(string Path, Orbit.Onnx.Sessions.SessionOptions Options);

internal sealed record InspectionReply(Orbit.Contracts.Registry.ModelSignature? Signature, string? Error);
