using System.Security.Claims;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Models;
using Orbit.Gateway.Auth;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.RateLimiting;
using Orbit.Gateway.Routing;
using Orbit.Hosting;
using Orbit.Hosting.Health;

namespace Orbit.Gateway.Inference;

/// <summary>The Open Inference Protocol v2 over REST, as KServe and Triton define it.</summary>
internal static class InferenceEndpoints
{
    public static void MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", () => Results.Ok(new { live = true })).AllowAnonymous();
        app.MapGet("/v2/health/ready", async (HealthCheckService health, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), ct);
            return Results.Json(new { ready = report.Status == HealthStatus.Healthy },
                statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        app.MapGet("/v2", () => Results.Ok(new { name = "orbit", version = OrbitServiceInfo.Version, extensions = Array.Empty<string>() }))
            .RequireAuthorization(AuthRegistration.Viewer);

        var model = app.MapGroup("/v2/models/{model}");
        model.MapGet("", (string model, HttpContext context, ClaimsPrincipal user, RoutingTable routing, ModelSignatures signatures) =>
            MetadataAsync(model, null, context, user, routing, signatures)).RequireAuthorization(AuthRegistration.Viewer);
        model.MapGet("/versions/{version}", (string model, string version, HttpContext context, ClaimsPrincipal user, RoutingTable routing, ModelSignatures signatures) =>
            MetadataAsync(model, version, context, user, routing, signatures)).RequireAuthorization(AuthRegistration.Viewer);
        model.MapGet("/ready", (string model, ClaimsPrincipal user, RoutingTable routing, WorkerFleet fleet) =>
            Ready(model, null, user, routing, fleet)).RequireAuthorization(AuthRegistration.Viewer);
        model.MapGet("/versions/{version}/ready", (string model, string version, ClaimsPrincipal user, RoutingTable routing, WorkerFleet fleet) =>
            Ready(model, version, user, routing, fleet)).RequireAuthorization(AuthRegistration.Viewer);
        model.MapPost("/infer", (string model, HttpContext context) => MeasuredInferAsync(model, null, context)).RequireAuthorization(AuthRegistration.Predictor);
        model.MapPost("/versions/{version}/infer", (string model, string version, HttpContext context) => MeasuredInferAsync(model, version, context))
            .RequireAuthorization(AuthRegistration.Predictor);
    }

    private static async Task<IResult> MeasuredInferAsync(string model, string? version, HttpContext context)
    {
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();
        var result = await InferAsync(model, version, context);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? context.Response.StatusCode;
        context.RequestServices.GetRequiredService<GatewayMetrics>().Answered(
            Caller.From(context.User).TenantId, model, context.Items[GatewayMetrics.VersionItem] as int?, status, time.GetElapsedTime(started));
        return result;
    }

    private static async Task<IResult> InferAsync(string model, string? version, HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var caller = Caller.From(context.User);

        var (allowed, retryAfter) = await services.GetRequiredService<TenantRateLimiter>().TryTakeAsync(caller.TenantId);
        if (!allowed)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return OipError.Result(StatusCodes.Status429TooManyRequests, $"tenant '{caller.TenantId}' is over its request rate; retry after {retryAfter.TotalMilliseconds:0} ms");
        }

        var table = services.GetRequiredService<RoutingTable>().Get(caller.TenantId, model);
        if (table is null || table.Routes.Count == 0)
        {
            return OipError.Result(StatusCodes.Status404NotFound, $"model '{model}' not found or not deployed");
        }

        var (chosen, versionError) = ChooseVersion(table, version, context.Request.Headers["X-Orbit-Routing-Key"].ToString());
        if (versionError is not null)
        {
            return versionError;
        }

        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            return OipError.Result(StatusCodes.Status413PayloadTooLarge, $"the request body is over {options.MaxRequestBytes} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBytes;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return OipError.Result(StatusCodes.Status400BadRequest, "the body is not valid JSON: " + ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return OipError.Result(StatusCodes.Status413PayloadTooLarge, $"the request body is over {options.MaxRequestBytes} bytes");
        }

        using (document)
        {
            var (request, parseError) = OipRequestReader.Read(document.RootElement);
            if (parseError is not null)
            {
                return OipError.Result(StatusCodes.Status400BadRequest, parseError);
            }

            // A routing key in the request's parameters counts when the header gave none.
            if (version is null && request!.RoutingKey is { } key && context.Request.Headers["X-Orbit-Routing-Key"].Count == 0)
            {
                chosen = RoutePicker.Pick(table.Routes, key) ?? chosen;
            }

            context.Items[GatewayMetrics.VersionItem] = chosen;
            if (!services.GetRequiredService<WorkerFleet>().Serves(caller.TenantId, model, chosen))
            {
                return OipError.Result(StatusCodes.Status503ServiceUnavailable, $"no worker is serving version {chosen} of model '{model}' right now");
            }

            var timeout = TimeSpan.FromMilliseconds(Math.Min(request!.TimeoutMilliseconds ?? options.InferenceTimeoutMilliseconds, options.InferenceTimeoutMilliseconds));
            var time = services.GetRequiredService<TimeProvider>();
            // The bus id is the gateway's own: clients' ids need not be unique, and coalesced requests are matched by it.
            var message = new InferenceRequested(
                context.TraceIdentifier,
                caller.TenantId,
                model,
                chosen,
                request.Inputs,
                time.GetUtcNow() + timeout,
                request.Outputs,
                InferencePriority.RealTime,
                request.RoutingKey);
            try
            {
                var (completed, rejected) = await services.GetRequiredService<InferenceForwarder>().SendAsync(message, timeout);
                if (completed is not null)
                {
                    await OipResponseWriter.WriteAsync(context.Response, model, completed, request.Id);
                    return Results.Empty;
                }

                return rejected is null
                    ? OipError.Result(StatusCodes.Status502BadGateway, "the worker's answer could not be read")
                    : Rejection(rejected);
            }
            catch (RequestTimeoutException)
            {
                return OipError.Result(StatusCodes.Status504GatewayTimeout, $"no answer from a worker within {timeout.TotalMilliseconds:0} ms");
            }
            catch (Exception ex) when (ex is RequestFaultException or InvalidOperationException)
            {
                // The worker faulted instead of answering, or its batch answer lacked this request: not the client's doing.
                return OipError.Result(StatusCodes.Status502BadGateway, "the worker failed to answer: " + ex.Message);
            }
        }
    }

    private static (int Version, IResult? Error) ChooseVersion(DeploymentChanged table, string? version, string routingKey)
    {
        if (version is not null)
        {
            if (!int.TryParse(version, out var explicitVersion) || table.Routes.All(r => r.Version != explicitVersion))
            {
                return (0, OipError.Result(StatusCodes.Status404NotFound, $"version '{version}' of model '{table.ModelName}' is not deployed"));
            }

            return (explicitVersion, null);
        }

        var picked = RoutePicker.Pick(table.Routes, routingKey.Length > 0 ? routingKey : null);
        return picked is { } v ? (v, null) : (0, OipError.Result(StatusCodes.Status404NotFound, $"model '{table.ModelName}' has no version taking traffic"));
    }

    private static IResult Rejection(InferenceRejected rejected) => rejected.Reason switch
    {
        RejectionReason.InvalidInput => OipError.Result(StatusCodes.Status400BadRequest, rejected.Detail),
        RejectionReason.ModelNotFound or RejectionReason.ModelNotDeployed => OipError.Result(StatusCodes.Status404NotFound, rejected.Detail),
        RejectionReason.DeadlineExceeded => OipError.Result(StatusCodes.Status504GatewayTimeout, rejected.Detail),
        RejectionReason.Overloaded or RejectionReason.ShuttingDown => OipError.Result(StatusCodes.Status503ServiceUnavailable, rejected.Detail),
        _ => OipError.Result(StatusCodes.Status500InternalServerError, rejected.Detail),
    };

    private static async Task<IResult> MetadataAsync(string model, string? version, HttpContext context, ClaimsPrincipal user, RoutingTable routing, ModelSignatures signatures)
    {
        var caller = Caller.From(user);
        var table = routing.Get(caller.TenantId, model);
        if (table is null || table.Routes.Count == 0)
        {
            return OipError.Result(StatusCodes.Status404NotFound, $"model '{model}' not found or not deployed");
        }

        var (chosen, error) = version is null
            ? (table.StableVersion ?? table.Routes[0].Version, null)
            : ChooseVersion(table, version, "");
        if (error is not null)
        {
            return error;
        }

        var key = Orbit.Hosting.Security.ApiKeyHeader.Read(context.Request.Headers)!;
        var signature = await signatures.GetAsync(caller.TenantId, model, chosen, key, context.RequestAborted);
        if (signature is null)
        {
            return OipError.Result(StatusCodes.Status404NotFound, $"version {chosen} of model '{model}' not found");
        }

        return Results.Ok(new
        {
            name = model,
            versions = table.Routes.Select(r => r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            platform = "onnxruntime_onnx",
            inputs = signature.Inputs.Select(Describe),
            outputs = signature.Outputs.Select(Describe),
        });
    }

    private static object Describe(Orbit.Contracts.Registry.SignatureTensor tensor) => new
    {
        name = tensor.Name,
        datatype = OipDatatypes.FromOnnx(tensor.Datatype),
        shape = tensor.Shape.Select(d => long.TryParse(d, out var size) ? size : -1),
    };

    private static IResult Ready(string model, string? version, ClaimsPrincipal user, RoutingTable routing, WorkerFleet fleet)
    {
        var caller = Caller.From(user);
        var table = routing.Get(caller.TenantId, model);
        if (table is null || table.Routes.Count == 0)
        {
            return OipError.Result(StatusCodes.Status404NotFound, $"model '{model}' not found or not deployed");
        }

        var (chosen, error) = version is null ? (table.StableVersion ?? table.Routes[0].Version, null) : ChooseVersion(table, version, "");
        return error ?? Results.Ok(new { name = model, ready = fleet.Serves(caller.TenantId, model, chosen) });
    }
}
