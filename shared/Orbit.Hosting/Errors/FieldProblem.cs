using Microsoft.AspNetCore.Http;

namespace Orbit.Hosting.Errors;

public static class FieldProblem
{
    /// <summary>A problem detail that names the offending field in its <c>field</c> extension.</summary>
    public static IResult For(string field, string detail, int status = StatusCodes.Status400BadRequest) =>
        Results.Problem(
            statusCode: status,
            type: ProblemTypes.ForStatus(status),
            title: "The request is not valid",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
