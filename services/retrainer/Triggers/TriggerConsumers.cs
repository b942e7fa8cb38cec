using MassTransit;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Retraining;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Messaging;

namespace Orbit.Retrainer.Triggers;

/// <summary>Critical drift triggers a retrain; a lower level is recorded as skipped.</summary>
internal sealed class DriftDetectedConsumer(TriggerIntake intake) : IConsumer<DriftDetected>
{
    public async Task Consume(ConsumeContext<DriftDetected> context)
    {
        var m = context.Message;
        TriggerMessages.Check(m.TenantId, m.ModelName);
        var detail = $"v{m.ModelVersion} {m.Feature}: {m.Metric} {m.Value:0.####} over {m.Threshold:0.####} ({m.Level}, {m.SampleSize} rows)";
        if (m.Level != AlertLevel.Critical)
        {
            await intake.RecordSkippedAsync(new TriggerRequest(m.TenantId, m.ModelName, TriggerKind.Drift, detail),
                $"drift level {m.Level.ToString().ToLowerInvariant()}: only critical drift triggers a retrain", context.CancellationToken);
            return;
        }

        await intake.RecordAsync(new TriggerRequest(m.TenantId, m.ModelName, TriggerKind.Drift, detail), context.CancellationToken);
    }
}

/// <summary>Degraded accuracy (warning or critical) triggers a retrain.</summary>
internal sealed class AccuracyDegradedConsumer(TriggerIntake intake) : IConsumer<AccuracyDegraded>
{
    public async Task Consume(ConsumeContext<AccuracyDegraded> context)
    {
        var m = context.Message;
        TriggerMessages.Check(m.TenantId, m.ModelName);
        var detail = $"v{m.ModelVersion} {m.Metric} {m.Value:0.####}, expected {m.Expected:0.####} ({m.Level}, {m.SampleSize} rows)";
        if (m.Level == AlertLevel.Ok)
        {
            await intake.RecordSkippedAsync(new TriggerRequest(m.TenantId, m.ModelName, TriggerKind.Accuracy, detail),
                "accuracy level ok: nothing to act on", context.CancellationToken);
            return;
        }

        await intake.RecordAsync(new TriggerRequest(m.TenantId, m.ModelName, TriggerKind.Accuracy, detail), context.CancellationToken);
    }
}

/// <summary>An explicit request, from <c>./orbit retrain</c> or any publisher.</summary>
internal sealed class RetrainRequestedConsumer(TriggerIntake intake) : IConsumer<RetrainRequested>
{
    public async Task Consume(ConsumeContext<RetrainRequested> context)
    {
        var m = context.Message;
        TriggerMessages.Check(m.TenantId, m.ModelName);
        await intake.RecordAsync(
            new TriggerRequest(m.TenantId, m.ModelName, TriggerKind.Request, m.Reason ?? "requested", m.RequestedBy, m.ShuffleLabels, m.ForcePastGate),
            context.CancellationToken);
    }
}

internal static class TriggerMessages
{
    /// <summary>A trigger without a tenant or model cannot be recorded: it goes to the error queue with this reason.</summary>
    public static void Check(string? tenant, string? model)
    {
        if (string.IsNullOrWhiteSpace(tenant))
        {
            throw new MessageValidationException("tenantId", "is required");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            throw new MessageValidationException("modelName", "is required");
        }
    }
}

/// <summary>Queues of the retrainer's own (one per event, shared by every retrainer instance): retried, then <c>_error</c>.</summary>
internal sealed class DriftDetectedConsumerDefinition : ConsumerDefinition<DriftDetectedConsumer>
{
    public DriftDetectedConsumerDefinition() => EndpointName = "retrainer-drift-detected";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<DriftDetectedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEventRetry(context);
}

internal sealed class AccuracyDegradedConsumerDefinition : ConsumerDefinition<AccuracyDegradedConsumer>
{
    public AccuracyDegradedConsumerDefinition() => EndpointName = "retrainer-accuracy-degraded";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<AccuracyDegradedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEventRetry(context);
}

internal sealed class RetrainRequestedConsumerDefinition : ConsumerDefinition<RetrainRequestedConsumer>
{
    public RetrainRequestedConsumerDefinition() => EndpointName = "retrainer-retrain-requested";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<RetrainRequestedConsumer> consumer, IRegistrationContext context) =>
        endpoint.UseEventRetry(context);
}
