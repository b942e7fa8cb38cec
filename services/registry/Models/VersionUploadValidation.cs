using Orbit.Contracts.Registry;
using Orbit.Hosting.Errors;
using Orbit.Onnx;
using Orbit.Registry.Artifacts;

namespace Orbit.Registry.Models;

/// <summary>An upload's verdict from <see cref="ModelValidator"/> as the answer to the uploader.</summary>
internal static class VersionUploadValidation
{
    public static async Task<(ModelSignature? Signature, IResult? Problem)> CheckAsync(
        ModelValidator validator, StagedArtifact file, HttpResponse response, CancellationToken cancellationToken)
    {
        ModelValidation validation;
        try
        {
            validation = await validator.ValidateAsync(file.TempPath, cancellationToken);
        }
        catch (OnnxRuntimeNotFoundException ex)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable,
                title: "Models cannot be checked", detail: ex.Message));
        }

        switch (validation.Verdict)
        {
            case ValidationVerdict.Loaded:
                return (validation.Signature, null);
            case ValidationVerdict.Busy:
                response.Headers.RetryAfter = validator.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (null, Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable,
                    title: "The registry is busy validating other uploads",
                    detail: $"every validation slot and queue place is taken (Orbit:Registry:Validation); retry after {validator.RetryAfterSeconds} s"));
            default:
                // ORT names the file it read: that is our temp path, which is no business of the caller's.
                var message = validation.Error!.Replace(file.TempPath, "the uploaded file", StringComparison.Ordinal);
                return (null, FieldProblem.For("file", "ONNX Runtime cannot load the file as the workers would: " + message, StatusCodes.Status422UnprocessableEntity));
        }
    }
}
