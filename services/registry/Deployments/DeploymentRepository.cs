using System.Data.Common;
using Dapper;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Hosting.Security;
using Orbit.Registry.Api;
using Orbit.Registry.Audit;
using Orbit.Registry.Auth;
using Orbit.Registry.Models;
using Orbit.Registry.Outbox;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Deployments;

/// <summary>
/// Applies deployment changes: the new state, its history row, its audit row and its
/// <see cref="DeploymentChanged"/> commit in one transaction; the dispatcher then writes the Redis
/// routing table and publishes the event.
/// </summary>
internal sealed class DeploymentRepository(RegistryDatabase database, OutboxDispatcher dispatcher, TimeProvider time)
{
    public async Task<Outcome<DeploymentView>> ApplyAsync(
        Caller caller,
        string model,
        string action,
        Func<DeploymentState?, Outcome<DeploymentState>> change,
        CancellationToken cancellationToken)
    {
        var tenant = caller.TenantId;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>("SELECT 1 FROM models WHERE tenant_id = @tenant AND name = @model", new { tenant, model }, transaction) is null)
        {
            return Failure.NotFound($"model '{model}' not found");
        }

        var current = await GetStateAsync(connection, transaction, tenant, model, lockRow: true);
        var next = change(current);
        if (next.Kind != OutcomeKind.Ok)
        {
            return new Outcome<DeploymentView>(next.Kind, null, next.Field, next.Detail);
        }

        // A revision is at least the change's time in Unix milliseconds: a registry started on an empty store
        // still outranks the routing tables an earlier one left in Redis and in gateways' and workers' memory.
        var state = next.Value! with { Revision = Math.Max(next.Value!.Revision, now.ToUnixTimeMilliseconds()) };
        var routes = new List<DeploymentRoute>();
        foreach (var (version, weight, field) in RoutesWithFields(state))
        {
            var target = await ModelRepository.GetVersionAsync(connection, transaction, tenant, model, version);
            if (target is null)
            {
                return Failure.Invalid(field, $"model '{model}' has no version {version}");
            }

            if (target.Status == VersionStatus.Retired && version != current?.StableVersion && version != current?.CandidateVersion)
            {
                return Failure.Invalid(field, $"version {version} is retired and cannot be deployed");
            }

            routes.Add(new DeploymentRoute(version, weight, target.Digest, ServingSettings.MaxBatchSizeOf(target.Metadata), MirrorOf(state, version)));
        }

        var before = current is null ? null : await GetViewAsync(connection, transaction, tenant, model);
        var nowMs = now.ToUnixTimeMilliseconds();
        var values = new
        {
            tenant,
            model,
            revision = state.Revision,
            stable = (long?)state.StableVersion,
            candidate = (long?)state.CandidateVersion,
            weight = (long)state.CandidateWeight,
            strategy = state.Strategy,
            previous = (long?)state.PreviousStableVersion,
            extra = ExtraRoutesJson(state.ExtraRoutes),
            mirror = (long?)state.MirrorPercent,
            nowMs,
            actor = caller.Actor,
            action,
        };
        await connection.ExecuteAsync(
            """
            INSERT INTO deployments (tenant_id, model_name, revision, stable_version, candidate_version, candidate_weight, strategy, previous_stable_version, extra_routes_json, mirror_percent, updated_at_ms, updated_by)
            VALUES (@tenant, @model, @revision, @stable, @candidate, @weight, @strategy, @previous, @extra, @mirror, @nowMs, @actor)
            ON CONFLICT (tenant_id, model_name) DO UPDATE SET
                revision = excluded.revision, stable_version = excluded.stable_version, candidate_version = excluded.candidate_version,
                candidate_weight = excluded.candidate_weight, strategy = excluded.strategy, previous_stable_version = excluded.previous_stable_version,
                extra_routes_json = excluded.extra_routes_json, mirror_percent = excluded.mirror_percent, updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by
            """,
            values, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO deployment_history (tenant_id, model_name, revision, action, stable_version, candidate_version, candidate_weight, strategy, changed_at_ms, changed_by)
            VALUES (@tenant, @model, @revision, @action, @stable, @candidate, @weight, @strategy, @nowMs, @actor)
            """,
            values, transaction);

        var after = await GetViewAsync(connection, transaction, tenant, model);
        await AuditLog.AppendAsync(connection, transaction, caller, nowMs, tenant, "deployment." + action, $"models/{model}/deployment", model, before, after);
        await Outbox.Outbox.EnqueueAsync(connection, transaction, new DeploymentChanged(
            tenant,
            model,
            state.Revision,
            state.StableVersion,
            state.CandidateVersion,
            state.CandidateWeight,
            StrategyOf(state.Strategy),
            routes,
            now,
            caller.Actor,
            action), nowMs);
        await transaction.CommitAsync(cancellationToken);
        dispatcher.Notify();
        return after is null ? new Outcome<DeploymentView>(OutcomeKind.Ok, Undeployed(model, state, now, caller.Actor), null, null) : after;
    }

    public async Task<DeploymentView?> GetAsync(string tenant, string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetViewAsync(connection, null, tenant, model);
    }

    public async Task<IReadOnlyList<DeploymentHistoryEntry>> HistoryAsync(string tenant, string model, long? beforeRevision, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Revision, string Action, long? Stable, long? Candidate, long Weight, string Strategy, long AtMs, string By)>(
            """
            SELECT revision, action, stable_version, candidate_version, candidate_weight, strategy, changed_at_ms, changed_by
            FROM deployment_history WHERE tenant_id = @tenant AND model_name = @model AND (@before IS NULL OR revision < @before)
            ORDER BY revision DESC LIMIT @limit
            """,
            new { tenant, model, before = beforeRevision, limit });
        return rows.Select(r => new DeploymentHistoryEntry(r.Revision, r.Action, (int?)r.Stable, (int?)r.Candidate, (int)r.Weight, r.Strategy,
            DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), r.By)).ToList();
    }

    /// <summary>Every deployment's current routing table, for re-writing Redis after it lost its data.</summary>
    public async Task<IReadOnlyList<DeploymentChanged>> AllRoutingTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var keys = await connection.QueryAsync<(string Tenant, string Model, long AtMs, string By)>(
            "SELECT tenant_id, model_name, updated_at_ms, updated_by FROM deployments");
        var tables = new List<DeploymentChanged>();
        foreach (var (tenant, model, atMs, by) in keys)
        {
            var state = (await GetStateAsync(connection, null, tenant, model, lockRow: false))!;
            var view = await GetViewAsync(connection, null, tenant, model);
            var routes = new List<DeploymentRoute>();
            foreach (var route in view?.Routes ?? [])
            {
                var target = await ModelRepository.GetVersionAsync(connection, null, tenant, model, route.Version);
                routes.Add(new DeploymentRoute(route.Version, route.Weight, route.Digest, target is null ? null : ServingSettings.MaxBatchSizeOf(target.Metadata),
                    MirrorOf(state, route.Version)));
            }

            tables.Add(new DeploymentChanged(tenant, model, state.Revision, state.StableVersion, state.CandidateVersion, state.CandidateWeight,
                StrategyOf(state.Strategy), routes,
                DateTimeOffset.FromUnixTimeMilliseconds(atMs), by, "resync"));
        }

        return tables;
    }

    internal static async Task<DeploymentState?> GetStateAsync(DbConnection connection, DbTransaction? transaction, string tenant, string model, bool lockRow)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Revision, long? Stable, long? Candidate, long Weight, string Strategy, long? Previous, string? Extra, long? Mirror)>(
            "SELECT revision, stable_version, candidate_version, candidate_weight, strategy, previous_stable_version, extra_routes_json, mirror_percent FROM deployments WHERE tenant_id = @tenant AND model_name = @model"
                + (lockRow ? SqlDialect.ForUpdate(connection) : ""),
            new { tenant, model }, transaction);
        return row.Strategy is null
            ? null
            : new DeploymentState(row.Revision, (int?)row.Stable, (int?)row.Candidate, (int)row.Weight, row.Strategy, (int?)row.Previous, ExtraRoutesOf(row.Extra), (int?)row.Mirror);
    }

    /// <summary>The deployment as the API shows it, with each route's artifact digest; null when the model is not deployed.</summary>
    internal static async Task<DeploymentView?> GetViewAsync(DbConnection connection, DbTransaction? transaction, string tenant, string model)
    {
        var state = await GetStateAsync(connection, transaction, tenant, model, lockRow: false);
        if (state?.StableVersion is null)
        {
            return null;
        }

        var meta = await connection.QuerySingleAsync<(long AtMs, string By)>(
            "SELECT updated_at_ms, updated_by FROM deployments WHERE tenant_id = @tenant AND model_name = @model", new { tenant, model }, transaction);
        var routes = new List<RouteView>();
        foreach (var (version, weight) in DeploymentRules.Routes(state))
        {
            var digest = await connection.ExecuteScalarAsync<string>(
                "SELECT digest FROM model_versions WHERE tenant_id = @tenant AND model_name = @model AND version = @version",
                new { tenant, model, version = (long)version }, transaction);
            routes.Add(new RouteView(version, weight, digest!, MirrorOf(state, version)));
        }

        return new DeploymentView(model, state.Revision, state.StableVersion, state.CandidateVersion, state.CandidateWeight, state.Strategy,
            state.PreviousStableVersion, routes, DateTimeOffset.FromUnixTimeMilliseconds(meta.AtMs), meta.By);
    }

    private static DeploymentStrategy StrategyOf(string strategy) => strategy switch
    {
        DeploymentRules.Canary => DeploymentStrategy.Canary,
        DeploymentRules.Ab => DeploymentStrategy.Ab,
        DeploymentRules.Shadow => DeploymentStrategy.Shadow,
        _ => DeploymentStrategy.Manual,
    };

    /// <summary>A shadow's mirror share, on the candidate's route only.</summary>
    private static int? MirrorOf(DeploymentState state, int version) =>
        state.MirrorPercent is { } percent && version == state.CandidateVersion ? percent : null;

    private static string? ExtraRoutesJson(IReadOnlyList<(int Version, int Weight)>? routes) =>
        routes is null ? null : System.Text.Json.JsonSerializer.Serialize(routes.Select(r => new[] { r.Version, r.Weight }));

    private static List<(int Version, int Weight)>? ExtraRoutesOf(string? json) =>
        json is null ? null : System.Text.Json.JsonSerializer.Deserialize<int[][]>(json)!.Select(r => (r[0], r[1])).ToList();

    private static IEnumerable<(int Version, int Weight, string Field)> RoutesWithFields(DeploymentState state) =>
        DeploymentRules.Routes(state).Select(r => (r.Version, r.Weight,
            r.Version == state.StableVersion ? "stableVersion" : r.Version == state.CandidateVersion ? "candidateVersion" : "arms"));

    private static DeploymentView Undeployed(string model, DeploymentState state, DateTimeOffset at, string by) =>
        new(model, state.Revision, null, null, 0, state.Strategy, state.PreviousStableVersion, [], at, by);
}
