namespace Orbit.Registry.Rollouts.Experiments;

/// <summary>An A/B experiment as stored: its configuration, where it stands, and each arm's tallies so far. The control is <c>Arms[0]</c>.</summary>
internal sealed record Experiment(
    string Id,
    string TenantId,
    string Model,
    int DurationSeconds,
    int IntervalSeconds,
    double Alpha,
    string OnEnd,
    string State,
    IReadOnlyList<ArmTally> Arms,
    DateTimeOffset StartedAt,
    DateTimeOffset EndsAt,
    DateTimeOffset CollectedTo,
    string StartedBy,
    DateTimeOffset? EndedAt = null,
    string? Reason = null)
{
    public const string Ab = "ab";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Stopped = "stopped";
    public const string Aborted = "aborted";
    public const string BackToControl = "control";
    public const string Keep = "keep";

    public ArmTally Control => Arms[0];

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    public Experiment Ended(string state, string reason, DateTimeOffset at) => this with { State = state, Reason = reason, EndedAt = at };
}

/// <summary>
/// What one arm served over the experiment so far. <see cref="Latencies"/> is a uniform reservoir of the latency
/// samples gateways reported (<see cref="LatencySeen"/> of them in all), capped so the stored row stays small.
/// </summary>
internal sealed record ArmTally(
    int Version,
    int Weight,
    long Requests,
    long Errors,
    long Labelled,
    long Correct,
    long LatencySeen,
    IReadOnlyList<double> Latencies)
{
    public static ArmTally Empty(int version, int weight) => new(version, weight, 0, 0, 0, 0, 0, []);

    /// <summary>This arm with <paramref name="sample"/> added; latencies past <paramref name="capacity"/> replace reservoir entries at random (seeded: the same input gives the same tally).</summary>
    public ArmTally Add(Analysis.ArmSample sample, int capacity)
    {
        var reservoir = Latencies.ToList();
        var seen = LatencySeen;
        var random = new Random(unchecked((int)(seen * 31) + Version));
        foreach (var latency in sample.LatenciesMs)
        {
            seen++;
            if (reservoir.Count < capacity)
            {
                reservoir.Add(latency);
            }
            else if (random.NextInt64(seen) is var slot && slot < capacity)
            {
                reservoir[(int)slot] = latency;
            }
        }

        return this with
        {
            Requests = Requests + sample.Requests,
            Errors = Errors + sample.Errors,
            Labelled = Labelled + sample.Labelled,
            Correct = Correct + sample.Correct,
            LatencySeen = seen,
            Latencies = reservoir,
        };
    }
}
