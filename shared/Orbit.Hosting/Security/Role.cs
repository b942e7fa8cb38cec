namespace Orbit.Hosting.Security;

/// <summary>What an API key may do. Each role may do what the ones below it may.</summary>
public enum Role
{
    Viewer = 1,
    Predictor = 2,
    Deployer = 3,
    Admin = 4,
}

public static class Roles
{
    /// <summary>The role's name on the wire and in messages: <c>viewer</c>, <c>predictor</c>, <c>deployer</c>, <c>admin</c>.</summary>
    public static string Name(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Predictor => "predictor",
        Role.Deployer => "deployer",
        Role.Admin => "admin",
        _ => role.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? value, out Role role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);
}
