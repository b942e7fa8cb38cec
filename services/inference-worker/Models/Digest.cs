using System.Text.RegularExpressions;

namespace Orbit.InferenceWorker.Models;

/// <summary>Artifact digests as the registry writes them: <c>sha256:</c> and 64 lowercase hex digits.</summary>
internal static partial class Digest
{
    public static bool IsValid(string? digest) => digest is not null && Pattern().IsMatch(digest);

    /// <summary>The 64 hex digits of a valid digest.</summary>
    public static string Hex(string digest) => digest["sha256:".Length..];

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
