namespace Orbit.Hosting.Logging;

/// <summary>
/// The correlation id of the request or message being handled. Set by the HTTP middleware and
/// the bus consume filter, copied onto every message sent or published while it is set.
/// </summary>
public static class Correlation
{
    public const string HeaderName = "X-Correlation-Id";

    private static readonly AsyncLocal<string?> CurrentId = new();

    public static string? Current
    {
        get => CurrentId.Value;
        internal set => CurrentId.Value = value;
    }

    /// <summary>An id supplied by a caller is kept when it is short and printable; anything else is replaced.</summary>
    public static string Accept(string? supplied)
    {
        if (!string.IsNullOrEmpty(supplied) && supplied.Length <= 128 && supplied.All(IsSafe))
        {
            return supplied;
        }

        return Guid.NewGuid().ToString("N");
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
