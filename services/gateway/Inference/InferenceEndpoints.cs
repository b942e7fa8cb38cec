using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;
using Orbit.Gateway.Fleet;
using Orbit.Hosting;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway.Inference;

/// <summary>The Open Inference Protocol v2 over REST, as KServe and Triton define it. Refusals answer in OIP's shape.</summary>
internal static class InferenceEndpoints
{
    public const string RoutingKeyHeader = "X-Orbit-Routing-Key";

    public static void MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithMetadata(OipErrorShape.Instance);
        v2.MapGet("/health/live", () => TypedResults.Ok(new { live = true })).AllowAnonymous();
        v2.MapGet("/health/ready", ServerReadyAsync).AllowAnonymous();
        v2.MapGet("", () => TypedResults.Ok(new { name = "orbit", version = OrbitServiceInfo.Version, extensions = new[] { BinaryTensorData.Extension } }))
            .RequireAuthorization(Policies.Viewer);

        var model = v2.MapGroup("/models/{model}");
        model.MapGet("", (string model, HttpContext context, [AsParameters] InferenceServices services) =>
            MetadataAsync(model, null, context, services)).RequireAuthorization(Policies.Viewer);
        model.MapGet("/versions/{version}", (string model, string version, HttpContext context, [AsParameters] InferenceServices services) =>
            MetadataAsync(model, version, context, services)).RequireAuthorization(Policies.Viewer);
        model.MapGet("/ready", (string model, ClaimsPrincipal user, [AsParameters] InferenceServices services) =>
            Ready(model, null, user, services)).RequireAuthorization(Policies.Viewer);
        model.MapGet("/versions/{version}/ready", (string model, string version, ClaimsPrincipal user, [AsParameters] InferenceServices services) =>
            Ready(model, version, user, services)).RequireAuthorization(Policies.Viewer);

        var infer = model.MapGroup("").AddEndpointFilter<InferenceMetricsFilter>().RequireAuthorization(Policies.Predictor);
        infer.MapPost("/infer", (string model, HttpContext context, [AsParameters] InferenceServices services) =>
            InferRequest.HandleAsync(model, null, context, services));
        infer.MapPost("/versions/{version}/infer", (string model, string version, HttpContext context, [AsParameters] InferenceServices services) =>
            InferRequest.HandleAsync(model, version, context, services));
    }

    private static async Task<IResult> ServerReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), cancellationToken);
        var ready = report.Status == HealthStatus.Healthy;
        return TypedResults.Json(new { ready }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The deployed routing table of a model of the caller's tenant; another tenant's model is not found.</summary>
    public static (DeploymentChanged? Table, OipError? Error) FindDeployment(RoutingTables routing, string tenantId, string model)
    {
        var table = routing.Get(tenantId, model);
        return table is null || table.Routes.Count == 0
            ? (null, OipError.NotFound($"model '{model}' not found or not deployed"))
            : (table, null);
    }

    /// <summary>The version a request names, which must be one the table routes to.</summary>
    public static (DeploymentRoute? Route, OipError? Error) FindVersion(DeploymentChanged table, string version) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && RoutePicker.Find(table.Routes, number) is { } route
            ? (route, null)
            : (null, OipError.NotFound($"version '{version}' of model '{table.ModelName}' is not deployed"));

    /// <summary>The version metadata and readiness describe when none is named: the stable one.</summary>
    internal static (int Version, OipError? Error) DescribedVersion(DeploymentChanged table, string? version)
    {
        if (version is null)
        {
            return (table.StableVersion ?? table.Routes[0].Version, null);
        }

        var (route, error) = FindVersion(table, version);
        return (route?.Version ?? 0, error);
    }

    private static async Task<IResult> MetadataAsync(string model, string? version, HttpContext context, InferenceServices services)
    {
        var caller = Caller.From(context.User);
        var (table, error) = FindDeployment(services.Routing, caller.TenantId, model);
        if (table is null)
        {
            return error!;
        }

        var (chosen, versionError) = DescribedVersion(table, version);
        if (versionError is not null)
        {
            return versionError;
        }

        var key = ApiKeyHeader.Read(context.Request.Headers)!;
        var signature = await services.Signatures.GetAsync(caller.TenantId, model, chosen, key, context.RequestAborted);
        if (signature is null)
        {
            return OipError.NotFound($"version {chosen} of model '{model}' not found");
        }

        return TypedResults.Ok(new
        {
            name = model,
            versions = table.Routes.Select(r => r.Version.ToString(CultureInfo.InvariantCulture)),
            platform = "onnxruntime_onnx",
            inputs = signature.Inputs.Select(Describe),
            outputs = signature.Outputs.Select(Describe),
            parameters = new { batching = Batching(services.Fleet, caller.TenantId, model, chosen) },
        });
    }

    /// <summary>
    /// Whether the described version's requests are merged into batches, as the live workers serving it report
    /// it in their heartbeats (each decides at load time; older workers report nothing, which reads as unknown).
    /// </summary>
    private static object Batching(WorkerFleet fleet, string tenant, string model, int version)
    {
        var reports = fleet.Workers
            .SelectMany(w => w.LoadedModels
                .Where(m => m.TenantId == tenant && m.ModelName == model && m.Version == version)
                .Select(m => new { workerId = w.WorkerId, enabled = m.Batching, maxBatchSize = m.MaxBatchSize, reason = m.BatchingReason }))
            .ToList();
        var known = reports.Where(r => r.enabled is not null).ToList();
        var state = known.Count == 0 ? "unknown"
            : known.All(r => r.enabled == true) ? "enabled"
            : known.All(r => r.enabled == false) ? "disabled"
            : "mixed";
        return new { version, state, reason = known.FirstOrDefault(r => r.enabled == false)?.reason ?? known.FirstOrDefault()?.reason, workers = reports };
    }

    private static object Describe(SignatureTensor tensor) => new
    {
        name = tensor.Name,
        datatype = OipDatatypes.FromOnnxName(tensor.Datatype),
        shape = tensor.Shape.Select(d => long.TryParse(d, out var size) ? size : -1),
    };

    private static IResult Ready(string model, string? version, ClaimsPrincipal user, InferenceServices services)
    {
        var caller = Caller.From(user);
        var (table, error) = FindDeployment(services.Routing, caller.TenantId, model);
        if (table is null)
        {
            return error!;
        }

        var (chosen, versionError) = DescribedVersion(table, version);
        return versionError ?? (IResult)TypedResults.Ok(new { name = model, ready = services.Fleet.Serves(caller.TenantId, model, chosen) });
    }
}
