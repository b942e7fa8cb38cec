using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Drift;
using Orbit.DriftMonitor.Evaluation;
using Orbit.DriftMonitor.Storage;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.DriftMonitor.Api;

/// <summary>
/// <c>GET /v1/drift/{model}</c> and <c>GET /v1/drift/{model}/versions/{v}</c>: the caller's tenant only (platform keys may
/// name another with <c>?tenant=</c>); another tenant's model is a 404. <c>?feature=F</c> narrows the features and their series.
/// Each version with joined outcomes carries its accuracy series (<see cref="AccuracySeriesView"/>). The gateway forwards these paths unchanged.
/// </summary>
internal static class DriftEndpoints
{
    private const int AlertLimit = 200;

    public static void MapDriftApi(this IEndpointRouteBuilder app)
    {
        var drift = app.MapGroup("/v1/drift").WithTags("Drift").RequireAuthorization(Policies.Viewer);
        drift.MapGet("/{model}", GetModelAsync);
        drift.MapGet("/{model}/versions/{version}", GetVersionAsync);
    }

    private static async Task<IResult> GetModelAsync(
        string model, string? tenant, string? feature, ClaimsPrincipal user, DriftStore store, Accuracy.AccuracyStore accuracy, IOptions<DriftMonitorOptions> options,
        CancellationToken cancellationToken)
    {
        var owner = Owner(user, tenant);
        var versions = await store.VersionsOfModelAsync(owner, model, cancellationToken);
        if (versions.Count == 0)
        {
            return NotFound($"model '{model}' has no drift data (no statistics received for it)");
        }

        var views = new List<DriftVersionView>();
        foreach (var row in versions)
        {
            views.Add(await ViewAsync(row, feature, store, accuracy, options.Value, cancellationToken));
        }

        return TypedResults.Ok(new DriftModelView(
            owner, model, views,
            await accuracy.UnknownOutcomesAsync(owner, model, cancellationToken),
            await accuracy.PendingOutcomesAsync(owner, model, cancellationToken)));
    }

    private static async Task<IResult> GetVersionAsync(
        string model, string version, string? tenant, string? feature, ClaimsPrincipal user, DriftStore store, Accuracy.AccuracyStore accuracy,
        IOptions<DriftMonitorOptions> options, CancellationToken cancellationToken)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return FieldProblem.For("version", $"'{version}' is not a version number (1, 2, …)");
        }

        var row = await store.VersionAsync(new VersionKey(Owner(user, tenant), model, number), cancellationToken);
        return row is null
            ? NotFound($"model '{model}' version {number} has no drift data")
            : TypedResults.Ok(await ViewAsync(row, feature, store, accuracy, options.Value, cancellationToken));
    }

    private static string Owner(ClaimsPrincipal user, string? tenant)
    {
        var caller = Caller.From(user);
        return caller.IsPlatform && !string.IsNullOrWhiteSpace(tenant) ? tenant : caller.TenantId;
    }

    private static async Task<DriftVersionView> ViewAsync(
        VersionRow row, string? only, DriftStore store, Accuracy.AccuracyStore accuracy, DriftMonitorOptions options, CancellationToken cancellationToken)
    {
        var key = row.Key;
        var points = (await store.PointsAsync(key, only, options.SeriesPoints, cancellationToken)).ToLookup(p => p.Feature, StringComparer.Ordinal);
        var features = new List<FeatureDriftView>();
        foreach (var feature in await store.FeaturesAsync(key, cancellationToken))
        {
            if (only is not null && feature.Feature != only)
            {
                continue;
            }

            var latest = JsonSerializer.Deserialize<FeatureLatest>(feature.Latest, JsonSerializerOptions.Web)!;
            var series = points[feature.Feature]
                .Select(p => new ScorePointView(
                    DateTimeOffset.FromUnixTimeMilliseconds(p.AtMs), p.Level, p.SampleSize,
                    JsonSerializer.Deserialize<Dictionary<string, double?>>(p.Scores, JsonSerializerOptions.Web)!))
                .ToList();
            features.Add(new FeatureDriftView(
                feature.Feature, latest.Kind, feature.Level, latest.Test, latest.Value, latest.Warning, latest.Critical, latest.Scores,
                latest.SampleSize, latest.Live, latest.Baseline, series));
        }

        var alerts = (await store.AlertsAsync(key, AlertLimit, cancellationToken))
            .Where(a => only is null || a.Feature == only)
            .Select(a => new DriftAlertView(a.Feature, a.Metric, a.FromLevel, a.ToLevel, a.Value, a.Threshold, a.SampleSize, DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs)))
            .ToList();
        var latestAccuracy = await accuracy.StateAsync(key, cancellationToken) is { } state ? JsonSerializer.Deserialize<AccuracyView>(state.Latest, JsonSerializerOptions.Web) : null;
        return new DriftVersionView(
            key.TenantId, key.ModelName, key.ModelVersion, row.Status, row.Reason, row.SampleSize, options.WindowOf(key.ModelName),
            row.EvaluatedAtMs is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, features, alerts,
            latestAccuracy, latestAccuracy is null ? null : await AccuracySeriesAsync(key, accuracy, options, cancellationToken));
    }

    private static async Task<AccuracySeriesView> AccuracySeriesAsync(VersionKey key, Accuracy.AccuracyStore accuracy, DriftMonitorOptions options, CancellationToken cancellationToken)
    {
        var points = (await accuracy.PointsAsync(key, options.SeriesPoints, cancellationToken))
            .Select(p => JsonSerializer.Deserialize<AccuracyView>(p.View, JsonSerializerOptions.Web)! with { At = DateTimeOffset.FromUnixTimeMilliseconds(p.AtMs) })
            .ToList();
        return new AccuracySeriesView(options.AccuracyWarning, options.AccuracyCritical, points);
    }

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound, title: "Not found", detail: detail);
}
