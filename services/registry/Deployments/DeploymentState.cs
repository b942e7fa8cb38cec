namespace Orbit.Registry.Deployments;

/// <summary>A model's deployment as stored: what serves traffic and what it replaced.</summary>
/// <param name="ExtraRoutes">An A/B experiment's arms beyond stable and the candidate (version, weight); null otherwise.</param>
/// <param name="MirrorPercent">A shadow's share of stable's requests copied to the candidate (at weight 0); null otherwise.</param>
internal sealed record DeploymentState(
    long Revision,
    int? StableVersion,
    int? CandidateVersion,
    int CandidateWeight,
    string Strategy,
    int? PreviousStableVersion,
    IReadOnlyList<(int Version, int Weight)>? ExtraRoutes = null,
    int? MirrorPercent = null);
