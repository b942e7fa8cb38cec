using System.Text;
using System.Text.Json;
using MassTransit;
using Orbit.Contracts.Inference;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Predictions;

/// <summary>
/// The RabbitMQ ingress: plain-JSON <see cref="InferenceRequested"/> published by any system to the
/// exchange <c>orbit.predictions.requests</c>, its API key in the header <c>x-api-key</c> (or
/// <c>authorization: Bearer …</c>), checked exactly as over HTTP. A message without a valid key, or
/// malformed, or for a model the key's tenant does not have, is never run: it goes to
/// <c>orbit.predictions.requests_error</c> with the reason in its <c>MT-Fault-Message</c> header.
/// A request id seen before is not computed again; if its result exists it is published again.
/// </summary>
internal sealed class PredictionIngressConsumer(
    IApiKeyResolver keys,
    PredictionSubmitter submitter,
    PredictionResults results) : IConsumer<InferenceRequested>
{
    public async Task Consume(ConsumeContext<InferenceRequested> context)
    {
        var caller = await AuthenticateAsync(ReadKey(context.Headers.GetAll().Select(h => (h.Key, Header(h.Value)))), keys, context.CancellationToken);
        var body = context.ReceiveContext.Body.GetBytes();
        using var document = JsonDocument.Parse(body);
        var (submission, refusal) = PredictionBodyReader.ReadMessage(document.RootElement, body.Length, PredictionSources.RabbitMq);
        if (submission is null)
        {
            throw new MessageValidationException(refusal!.Field, refusal.Detail);
        }

        CheckTenant(document.RootElement, caller);
        var outcome = await submitter.SubmitAsync(caller, submission, context.CancellationToken);
        if (outcome.Refusal is { } refused)
        {
            throw new MessageValidationException(refused.Field, refused.Detail);
        }

        // The same request again: answered the same, from the stored result.
        if (!outcome.Created && outcome.Prediction is { IsDone: true } done)
        {
            await results.PublishAsync(done, context.CancellationToken);
        }
    }

    /// <summary>The caller a message's key belongs to; a refusal is a validation failure (never retried), an unreachable registry a retry.</summary>
    public static async Task<Caller> AuthenticateAsync(string? key, IApiKeyResolver keys, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            throw new MessageValidationException("x-api-key", "the message carries no API key (header x-api-key, or authorization: Bearer <key>)");
        }

        var resolution = await keys.ResolveAsync(key, null, cancellationToken);
        return resolution.Check switch
        {
            KeyCheck.Valid when resolution.Caller!.AtLeast(Role.Predictor) => resolution.Caller,
            KeyCheck.Valid => throw new MessageValidationException("x-api-key", $"the API key's role ({Roles.Name(resolution.Caller!.Role)}) may not run predictions: predictor or above is needed"),
            KeyCheck.Invalid => throw new MessageValidationException("x-api-key", "the API key is not valid (unknown, revoked or expired)"),
            _ => throw new DependencyUnavailableException("the API key could not be checked right now"),
        };
    }

    /// <summary>The key among a message's headers: <c>x-api-key</c>, else <c>authorization: Bearer …</c> (names in any case).</summary>
    public static string? ReadKey(IEnumerable<(string Name, string? Value)> headers)
    {
        string? bearer = null;
        foreach (var (name, value) in headers)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (name.Equals("x-api-key", StringComparison.OrdinalIgnoreCase))
            {
                return value.Trim();
            }

            if (name.Equals("authorization", StringComparison.OrdinalIgnoreCase) && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && value[7..].Trim() is { Length: > 0 } token)
            {
                bearer = token;
            }
        }

        return bearer;
    }

    /// <summary>A body may name its tenant; if it does, it must be the key's.</summary>
    public static void CheckTenant(JsonElement root, Caller caller)
    {
        if (root.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String
            && tenant.GetString() is { Length: > 0 } named && named != caller.TenantId)
        {
            throw new MessageValidationException("tenantId", "'tenantId' is not the API key's tenant (omit it: the key decides)");
        }
    }

    private static string? Header(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => value.ToString(),
    };
}
