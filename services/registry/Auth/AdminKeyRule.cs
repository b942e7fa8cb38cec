using Microsoft.Extensions.Options;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Auth;

/// <summary>
/// A configured admin key must be at least <see cref="MinLength"/> characters, checked when the
/// registry starts (not only on the first start, when it is used): a short key is refused by name,
/// never echoed.
/// </summary>
internal sealed class AdminKeyRule : IValidateOptions<RegistryOptions>
{
    public const int MinLength = 32;

    public ValidateOptionsResult Validate(string? name, RegistryOptions options)
    {
        var key = options.AdminKey?.Trim();
        return string.IsNullOrEmpty(key) || key.Length >= MinLength
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{RegistryOptions.Section}:AdminKey (environment ORBIT_ADMIN_KEY): must be at least {MinLength} characters; the configured one has {key.Length}.");
    }
}
