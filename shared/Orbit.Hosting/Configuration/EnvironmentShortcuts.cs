using Microsoft.Extensions.Configuration;

namespace Orbit.Hosting.Configuration;

/// <summary>
/// The short environment variables that <c>./orbit deps</c> prints for pointing Orbit at
/// existing servers, mapped onto their configuration keys. Added before the ordinary sources'
/// overrides are read, so <c>Orbit__RabbitMq__Url</c> and test settings still win.
/// </summary>
internal static class EnvironmentShortcuts
{
    private static readonly (string Variable, string Key)[] Map =
    [
        ("ORBIT_RABBITMQ", $"{RabbitMqOptions.Section}:Url"),
        ("ORBIT_REDIS", $"{RedisOptions.Section}:Configuration"),
        ("ORBIT_POSTGRES", "Orbit:Registry:Postgres"),
        ("ORBIT_ADMIN_KEY", "Orbit:Registry:AdminKey"),
    ];

    public static void AddOrbitEnvironmentShortcuts(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Map)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(value) && configuration[key] is null)
            {
                values[key] = value;
            }
        }

        if (values.Count > 0)
        {
            configuration.AddInMemoryCollection(values);
        }
    }
}
