using System.CommandLine;

namespace Orbit.Cli.Registry;

/// <summary>
/// The registry's commands: <c>models</c>, <c>deploy</c>/<c>promote</c>/<c>rollback</c>/<c>undeploy</c>,
/// <c>audit</c>, <c>keys</c>, <c>tenants</c>, <c>whoami</c>. Tests pass <paramref name="clientFactory"/>
/// (an in-process registry's client) and <paramref name="errors"/> (to read what goes to stderr).
/// </summary>
internal static class RegistryCommands
{
    public static IReadOnlyList<Command> Create(Func<RegistryConnection, HttpClient>? clientFactory = null, TextWriter? errors = null)
    {
        var runner = new RegistryRunner(clientFactory ?? DefaultClient, errors ?? Console.Error);
        return
        [
            ModelsCommands.Create(runner),
            DeployCommands.Deploy(runner),
            DeployCommands.Promote(runner),
            DeployCommands.Rollback(runner),
            DeployCommands.Undeploy(runner),
            Rollouts.RolloutCommands.Create(runner),
            Orbit.Cli.Experiments.ExperimentCommands.Create(runner),
            AuditCommand.Create(runner),
            KeysCommands.Create(runner),
            TenantsCommands.Create(runner),
            WhoAmICommand.Create(runner),
            WorkersCommand.Create(runner),
            Retrain.RetrainCommands.Create(runner),
            Orbit.Cli.Batch.BatchCommands.Create(runner),
        ];
    }

    // Uploads of large models take a while; a dead registry is found by the connect timeout instead.
    private static HttpClient DefaultClient(RegistryConnection connection) => new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromMinutes(30),
    };
}
