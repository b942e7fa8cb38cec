using System.Security.Cryptography;
using System.Text;

namespace Orbit.Registry.Auth;

/// <summary>
/// API keys are 256 random bits; only their SHA-256 is stored. A slow hash buys nothing for keys
/// that cannot be guessed, and a fast one keeps the lookup on every request cheap.
/// </summary>
internal static class ApiKeys
{
    public const string Prefix = "orb_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
