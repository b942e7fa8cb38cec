using System.CommandLine;
using Orbit.Contracts.Registry;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit deploy|promote|rollback|undeploy NAME</c>: each prints the deployment that results.</summary>
internal static class DeployCommands
{
    public static Command Deploy(RegistryRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Model name" };
        var stable = new Option<int>("--stable") { Description = "The version that takes the traffic the candidate does not", Required = true };
        var candidate = new Option<int?>("--candidate") { Description = "A version to try beside stable" };
        var weight = new Option<int>("--weight") { Description = "Percent of traffic for the candidate, 0 to 100 (0 keeps it loaded and idle)", DefaultValueFactory = _ => 0 };
        var command = new Command("deploy", "Set which versions of a model serve traffic, and in what shares") { name, stable, candidate, weight };
        return runner.Define(command, async (call, ct) =>
            await call.AnswerAsync(
                await call.Api.SetDeploymentAsync(call.Get(name)!, new SetDeployment(call.Get(stable), call.Get(candidate), call.Get(weight)), ct),
                Views.WriteDeployment));
    }

    public static Command Promote(RegistryRunner runner) => Change(runner, "promote", "Make the candidate the stable version, with all the traffic",
        (api, name, ct) => api.PromoteAsync(name, ct));

    public static Command Rollback(RegistryRunner runner) => Change(runner, "rollback",
        "Drop the candidate; with none, go back to the stable version the current one replaced",
        (api, name, ct) => api.RollbackAsync(name, ct));

    public static Command Undeploy(RegistryRunner runner) => Change(runner, "undeploy", "Stop serving a model (its versions stay in the registry)",
        (api, name, ct) => api.UndeployAsync(name, ct));

    private static Command Change(RegistryRunner runner, string verb, string description, Func<RegistryApi, string, CancellationToken, Task<ApiResult<DeploymentView>>> send)
    {
        var name = new Argument<string>("name") { Description = "Model name" };
        var command = new Command(verb, description) { name };
        return runner.Define(command, async (call, ct) => await call.AnswerAsync(await send(call.Api, call.Get(name)!, ct), Views.WriteDeployment));
    }
}
