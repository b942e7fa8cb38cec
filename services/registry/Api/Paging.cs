using System.Buffers.Text;
using System.Text;

namespace Orbit.Registry.Api;

/// <summary>Keyset paging: <c>?limit=</c> (1–500, default 50) and an opaque <c>?cursor=</c> naming the last item seen.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static (int Limit, string? After, IResult? Problem) Read(int? limit, string? cursor)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return (0, null, Orbit.Hosting.Errors.FieldProblem.For("limit", $"must be from 1 to {MaxLimit}"));
        }

        if (cursor is null)
        {
            return (limit ?? DefaultLimit, null, null);
        }

        try
        {
            return (limit ?? DefaultLimit, Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)), null);
        }
        catch (FormatException)
        {
            return (0, null, Orbit.Hosting.Errors.FieldProblem.For("cursor", "is not a cursor this API returned"));
        }
    }

    public static string? Next<T>(IReadOnlyList<T> page, int limit, Func<T, string> key) =>
        page.Count < limit ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key(page[^1])));
}
