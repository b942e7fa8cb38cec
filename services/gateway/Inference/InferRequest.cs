using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Orbit.Contracts.Inference;
using Orbit.Contracts.Models;
using Orbit.Gateway.Fleet;
using Orbit.Hosting.Security;
using Orbit.Routing;

namespace Orbit.Gateway.Inference;

/// <summary>
/// <c>POST /v2/models/{model}[/versions/{version}]/infer</c>, in named steps: admit (rate limit),
/// route (the deployment, then the version), parse (the body), forward (over the bus to a worker),
/// write (the answer or the refusal).
/// </summary>
internal static class InferRequest
{
    public static async Task<Results<OipInferResponse, OipError>> HandleAsync(string model, string? version, HttpContext context, InferenceServices services)
    {
        var caller = Caller.From(context.User);
        if (await AdmitAsync(caller, services) is { } refused)
        {
            return refused;
        }

        var (table, notDeployed) = InferenceEndpoints.FindDeployment(services.Routing, caller.TenantId, model);
        if (table is null)
        {
            return notDeployed!;
        }

        DeploymentRoute? named = null;
        if (version is not null)
        {
            (named, var versionError) = InferenceEndpoints.FindVersion(table, version);
            if (versionError is not null)
            {
                return versionError;
            }
        }

        var (request, parseError) = await ParseAsync(context, services.Options.Value);
        if (request is null)
        {
            return parseError!;
        }

        var route = named ?? Route(table, context.Request.Headers[InferenceEndpoints.RoutingKeyHeader].ToString(), request.RoutingKey,
            v => services.Fleet.Serves(caller.TenantId, model, v));
        if (route is null)
        {
            return OipError.NotFound($"model '{model}' has no version taking traffic");
        }

        if (!services.Fleet.Serves(caller.TenantId, model, route.Version))
        {
            return new OipError(StatusCodes.Status503ServiceUnavailable, $"no worker is serving version {route.Version} of model '{model}' right now", route.Version);
        }

        var (outcome, timeout) = await ForwardAsync(caller, model, route, request, context, services, table);
        return Write(context, model, route.Version, request.Id, outcome, timeout, request.BinaryOutputs);
    }

    internal static async Task<OipError?> AdmitAsync(Caller caller, InferenceServices services)
    {
        var (allowed, retryAfter) = await services.RateLimiter.TryTakeAsync(caller.TenantId);
        return allowed
            ? null
            : new OipError(StatusCodes.Status429TooManyRequests,
                $"tenant '{caller.TenantId}' is over its request rate; retry after {retryAfter.TotalMilliseconds:0} ms", retryAfter: retryAfter);
    }

    /// <summary>
    /// Draws a version by the table's weights among those workers serve; a routing key (the header, else the request's
    /// <c>routing_key</c> parameter) makes the draw sticky.
    /// </summary>
    internal static DeploymentRoute? Route(DeploymentChanged table, string headerKey, string? parameterKey, Func<int, bool> served) =>
        RoutePicker.PickServed(table.Routes, headerKey.Length > 0 ? headerKey : parameterKey, served);

    private static async Task<(OipRequestReader.Request? Request, OipError? Error)> ParseAsync(HttpContext context, GatewayOptions options)
    {
        var tooLarge = new OipError(StatusCodes.Status413PayloadTooLarge, $"the request body is over {options.MaxRequestBytes} bytes");
        if (context.Request.ContentLength > options.MaxRequestBytes)
        {
            return (null, tooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBytes;
        }

        try
        {
            var body = new LimitedBodyStream(context.Request.Body, options.MaxRequestBytes);
            if (context.Request.Headers.TryGetValue(BinaryTensorData.HeaderLength, out var headerLength))
            {
                return await BinaryRequestBody.ReadAsync(headerLength.ToString(), context.Request.ContentLength, body, options.MaxRequestBytes, context.RequestAborted);
            }

            using var document = await JsonDocument.ParseAsync(body, cancellationToken: context.RequestAborted);
            var (request, error) = OipRequestReader.Read(document.RootElement, body.BytesRead);
            return (request, error is null ? null : OipError.BadRequest(error));
        }
        catch (JsonException ex)
        {
            // JSON followed by tensor bytes, sent without the header that says where the JSON ends.
            var binary = context.Request.ContentType?.StartsWith(BinaryTensorData.ContentType, StringComparison.OrdinalIgnoreCase) == true
                ? $" (a JSON header followed by binary tensor data needs the {BinaryTensorData.HeaderLength} header)"
                : "";
            return (null, OipError.BadRequest($"the body is not valid JSON{binary}: {ex.Message}"));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // The JSON parser leaves string contents to be decoded when they are read.
            return (null, OipError.BadRequest("the body holds a string that is not valid UTF-8"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, tooLarge);
        }
    }

    /// <summary>
    /// Sends the request to <paramref name="route"/>'s version and awaits the answer. With the model's routing
    /// <paramref name="table"/>, a request stable serves may also be mirrored to a shadow (<see cref="Shadow.ShadowMirror"/>),
    /// which never delays or changes this answer.
    /// </summary>
    internal static async Task<(ForwardOutcome Outcome, TimeSpan Timeout)> ForwardAsync(
        Caller caller, string model, DeploymentRoute route, OipRequestReader.Request request, HttpContext context, InferenceServices services,
        DeploymentChanged? table = null)
    {
        var limit = services.Options.Value.InferenceTimeoutMilliseconds;
        var timeout = TimeSpan.FromMilliseconds(Math.Min(request.TimeoutMilliseconds ?? limit, limit));
        // The bus id is the gateway's own: clients' ids need not be unique, and coalesced requests are matched by it.
        var message = new InferenceRequested(
            context.TraceIdentifier,
            caller.TenantId,
            model,
            route.Version,
            request.Inputs,
            services.Time.GetUtcNow() + timeout,
            request.Outputs,
            InferencePriority.RealTime,
            request.RoutingKey,
            WorkerParameters(request));
        var answer = services.Forwarder.SendAsync(message, timeout);
        if (table is not null)
        {
            services.Shadow.Offer(table, route, message, answer, timeout, ApiKeyHeader.Read(context.Request.Headers));
        }

        return (await answer, timeout);
    }

    /// <summary>
    /// What the worker needs of the request's parameters: <c>log_prediction</c>, and the client's id, under which the
    /// prediction is logged so that outcomes posted with that id join it (the bus id is the gateway's own).
    /// </summary>
    private static Dictionary<string, string>? WorkerParameters(OipRequestReader.Request request)
    {
        if (request.Id is not { Length: > 0 } && !request.LogPrediction)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(2, StringComparer.Ordinal);
        if (request.Id is { Length: > 0 } id)
        {
            parameters["request_id"] = id;
        }

        if (request.LogPrediction)
        {
            parameters["log_prediction"] = "true";
        }

        return parameters;
    }

    internal static Results<OipInferResponse, OipError> Write(
        HttpContext context, string model, int version, string? id, ForwardOutcome outcome, TimeSpan timeout, BinaryOutputs? binaryOutputs = null) => outcome.Status switch
    {
        ForwardStatus.Completed => new OipInferResponse(model, outcome.Completed!, id, Caller.From(context.User), binaryOutputs),
        ForwardStatus.Rejected => Rejection(context, outcome.Rejected!).WithVersion(version),
        ForwardStatus.TimedOut => new OipError(StatusCodes.Status504GatewayTimeout, $"no answer from a worker within {timeout.TotalMilliseconds:0} ms", version),
        ForwardStatus.QueueFull => new OipError(StatusCodes.Status503ServiceUnavailable, outcome.Detail!, version, InferenceForwarder.QueueFullRetryAfter),
        ForwardStatus.TooLarge => new OipError(StatusCodes.Status413PayloadTooLarge, outcome.Detail!, version),
        _ => new OipError(StatusCodes.Status502BadGateway, WorkerText.Hide(context, "the worker failed to answer", outcome.Detail), version),
    };

    // Only the input check's text is meant for clients; the rest may carry ONNX Runtime's words, paths or URLs.
    private static OipError Rejection(HttpContext context, InferenceRejected rejected) => rejected.Reason switch
    {
        RejectionReason.InvalidInput => OipError.BadRequest(rejected.Detail),
        RejectionReason.ModelNotFound or RejectionReason.ModelNotDeployed => OipError.NotFound(WorkerText.Hide(context, "the model version is not available on a worker", rejected.Detail)),
        RejectionReason.DeadlineExceeded => new OipError(StatusCodes.Status504GatewayTimeout, "the request's deadline passed before a worker ran it"),
        RejectionReason.Overloaded or RejectionReason.ShuttingDown => new OipError(StatusCodes.Status503ServiceUnavailable, "the model's workers are busy or stopping; retry shortly"),
        _ => new OipError(StatusCodes.Status500InternalServerError, WorkerText.Hide(context, "the model failed to run on this input", rejected.Detail)),
    };
}
