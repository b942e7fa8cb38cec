using Orbit.Contracts.Rollouts;

namespace Orbit.Cli.Registry;

/// <summary>The A/B experiment calls of the API (<c>/v1/models/{name}/experiments</c>).</summary>
internal sealed partial class RegistryApi
{
    public Task<ApiResult<ExperimentView>> StartExperimentAsync(string name, StartExperiment request, CancellationToken ct) =>
        SendAsync<ExperimentView>(HttpMethod.Post, Model(name) + "/experiments", Body(request), ct);

    public Task<ApiResult<ExperimentView>> ExperimentAsync(string name, string id, CancellationToken ct) =>
        SendAsync<ExperimentView>(HttpMethod.Get, Model(name) + "/experiments/" + Segment(id), null, ct);

    public Task<ApiResult<ExperimentView>> StopExperimentAsync(string name, string id, CancellationToken ct) =>
        SendAsync<ExperimentView>(HttpMethod.Post, Model(name) + "/experiments/" + Segment(id) + "/stop", null, ct);
}
