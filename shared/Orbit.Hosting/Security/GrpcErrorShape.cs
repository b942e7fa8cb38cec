using System.Text;
using Microsoft.AspNetCore.Http;

namespace Orbit.Hosting.Security;

/// <summary>
/// Refusals of gRPC calls (content type <c>application/grpc…</c>) as gRPC clients read them: HTTP 200 and a
/// trailers-only answer whose <c>grpc-status</c> is the code for the HTTP status the same refusal has on REST
/// (401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE) and whose
/// <c>grpc-message</c> is its text.
/// </summary>
public static class GrpcErrorShape
{
    public static bool Applies(HttpContext context) =>
        context.Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>gRPC's status code (a number, as the wire carries it) for an HTTP status.</summary>
    public static int CodeFor(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => 3, // INVALID_ARGUMENT
        StatusCodes.Status401Unauthorized => 16, // UNAUTHENTICATED
        StatusCodes.Status403Forbidden => 7, // PERMISSION_DENIED
        StatusCodes.Status404NotFound => 5, // NOT_FOUND
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => 8, // RESOURCE_EXHAUSTED
        StatusCodes.Status504GatewayTimeout => 4, // DEADLINE_EXCEEDED
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable => 14, // UNAVAILABLE
        StatusCodes.Status500InternalServerError => 13, // INTERNAL
        _ => 2, // UNKNOWN
    };

    public static Task Write(HttpContext context, int httpStatus, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = CodeFor(httpStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = PercentEncode(message);
        return Task.CompletedTask;
    }

    /// <summary>gRPC's percent-encoding of <c>grpc-message</c>: UTF-8, with '%' and bytes outside printable ASCII escaped.</summary>
    public static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
