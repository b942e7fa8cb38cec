extern alias registry;
using Orbit.Cli.Registry;
using Orbit.Testing;

namespace Orbit.Cli.Tests.Registry;

/// <summary>
/// A real registry, in process, on SQLite in a temp folder, with the real RabbitMQ and Redis. The
/// CLI reaches it through the test server's handler; tests isolate themselves by unique model names.
/// </summary>
public sealed class RegistryUnderTest : IAsyncLifetime
{
    public const string AdminKey = "orbit-cli-tests-admin-key-0123456789";
    public const string Url = "http://registry.test/";
    public const string AddModel = "/usr/share/libonnx-testdata/data/node/test_add/model.onnx";
    public const string ReluModel = "/usr/share/libonnx-testdata/data/node/test_relu/model.onnx";

    private OrbitServiceFactory<registry::Program> _factory = null!;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("orbit-cli-registry-").FullName;

    /// <summary>How many HTTP clients the commands asked for: none means nothing was sent.</summary>
    public int ClientsCreated { get; private set; }

    public Task InitializeAsync()
    {
        foreach (var model in new[] { AddModel, ReluModel })
        {
            if (!File.Exists(model))
            {
                throw new InvalidOperationException($"{model} is missing: run ./orbit deps (it installs Debian's libonnx-testdata).");
            }
        }

        _factory = new OrbitServiceFactory<registry::Program>(new Dictionary<string, string?>
        {
            ["Orbit:DataDirectory"] = DataDirectory,
            ["Orbit:Registry:Postgres"] = "",
            ["Orbit:Registry:AdminKey"] = AdminKey,
        });
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    /// <summary>Runs a registry command with the admin key.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunWithKeyAsync(AdminKey, args);

    public Task<CliRun> RunWithKeyAsync(string key, params string[] args) =>
        CliOutput.RunAsync(Client, [.. args, "--url", Url, "--key", key]);

    public static string UniqueName(string prefix = "m") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private HttpClient Client(RegistryConnection connection)
    {
        ClientsCreated++;
        return _factory.CreateClient();
    }
}
