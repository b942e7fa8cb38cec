namespace Orbit.Hosting.Errors;

/// <summary>Stable problem <c>type</c> values (RFC 9457); clients branch on these, not on text.</summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:orbit:problem:";

    public const string Validation = Prefix + "validation";
    public const string Unauthorized = Prefix + "unauthorized";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string Conflict = Prefix + "conflict";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string RateLimited = Prefix + "rate-limited";
    public const string Unavailable = Prefix + "unavailable";
    public const string Internal = Prefix + "internal";

    public static string ForStatus(int status) => status switch
    {
        400 or 422 => Validation,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Unavailable,
        >= 500 => Internal,
        _ => Prefix + status,
    };
}
