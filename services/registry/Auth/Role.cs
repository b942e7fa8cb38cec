namespace Orbit.Registry.Auth;

/// <summary>Each role may do what the ones below it may.</summary>
internal enum Role
{
    Viewer = 1,
    Predictor = 2,
    Deployer = 3,
    Admin = 4,
}

internal static class Roles
{
    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out Role role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);
}
