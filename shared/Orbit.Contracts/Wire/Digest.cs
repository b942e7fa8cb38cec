namespace Orbit.Contracts.Wire;

/// <summary>Content addresses of artifacts and data snapshots: <c>sha256:</c> and 64 lowercase hex digits.</summary>
public static class Digest
{
    public const string Prefix = "sha256:";

    public const string Description = "'sha256:' and 64 lowercase hex digits";

    public static string Format(string hex) => Prefix + hex;

    public static string Of(ReadOnlySpan<byte> sha256) => Prefix + Convert.ToHexStringLower(sha256);

    public static bool IsValid(string? digest) =>
        digest is not null && digest.StartsWith(Prefix, StringComparison.Ordinal) && IsHex(digest.AsSpan(Prefix.Length));

    /// <summary>The 64 hex digits of a valid digest.</summary>
    public static string Hex(string digest) => IsValid(digest)
        ? digest[Prefix.Length..]
        : throw new ArgumentException($"'{digest}' is not a digest: {Description}.", nameof(digest));

    /// <summary>Accepts <c>sha256:&lt;hex&gt;</c> or bare hex; anything else (a path, other digits) is refused.</summary>
    public static bool TryParseHex(string? value, out string hex)
    {
        hex = "";
        if (value is null)
        {
            return false;
        }

        var candidate = value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : value;
        if (!IsHex(candidate))
        {
            return false;
        }

        hex = candidate;
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        if (value.Length != 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
