namespace Orbit.Contracts.Registry;

/// <summary>One route of a deployment; <see cref="MirrorPercent"/> is set on a shadow's route only (see <c>DeploymentRoute</c>).</summary>
public sealed record RouteView(int Version, int Weight, string Digest, int? MirrorPercent = null);

public sealed record DeploymentView(
    string Model,
    long Revision,
    int? StableVersion,
    int? CandidateVersion,
    int CandidateWeight,
    string Strategy,
    int? PreviousStableVersion,
    IReadOnlyList<RouteView> Routes,
    DateTimeOffset UpdatedAt,
    string UpdatedBy);

/// <summary><c>PUT /v1/models/{name}/deployment</c>.</summary>
public sealed record SetDeployment(int StableVersion, int? CandidateVersion = null, int CandidateWeight = 0, string Strategy = "manual");

public sealed record DeploymentHistoryEntry(long Revision, string Action, int? StableVersion, int? CandidateVersion, int CandidateWeight, string Strategy, DateTimeOffset ChangedAt, string ChangedBy);
