namespace Orbit.Registry.Artifacts;

/// <summary>A SHA-256 content address, <c>sha256:</c> and 64 lowercase hex digits.</summary>
internal static class Digest
{
    public const string Prefix = "sha256:";

    public static string Format(string hex) => Prefix + hex;

    /// <summary>Accepts <c>sha256:&lt;hex&gt;</c> or bare hex; anything else (a path, other digits) is refused.</summary>
    public static bool TryParseHex(string? value, out string hex)
    {
        hex = "";
        if (value is null)
        {
            return false;
        }

        var candidate = value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : value;
        if (candidate.Length != 64 || !candidate.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            return false;
        }

        hex = candidate;
        return true;
    }
}
