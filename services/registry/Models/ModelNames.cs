using System.Text.RegularExpressions;

namespace Orbit.Registry.Models;

/// <summary>
/// Model names appear in URLs, queue names (<c>infer.{tenant}.{model}</c>) and Redis keys, so they are
/// restricted to ASCII letters, digits, '.', '_' and '-', starting with a letter or digit.
/// </summary>
internal static partial class ModelNames
{
    public static string? Problem(string? name) => name switch
    {
        null or "" => "a model name is required",
        { Length: > 100 } => "a model name is at most 100 characters",
        _ when !Pattern().IsMatch(name) => $"'{Printable(name)}' is not a valid model name: use ASCII letters, digits, '.', '_' and '-', starting with a letter or digit",
        _ => null,
    };

    private static string Printable(string name) => new(name.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Pattern();
}
