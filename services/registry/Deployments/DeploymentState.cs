namespace Orbit.Registry.Deployments;

/// <summary>A model's deployment as stored: what serves traffic and what it replaced.</summary>
internal sealed record DeploymentState(
    long Revision,
    int? StableVersion,
    int? CandidateVersion,
    int CandidateWeight,
    string Strategy,
    int? PreviousStableVersion);
