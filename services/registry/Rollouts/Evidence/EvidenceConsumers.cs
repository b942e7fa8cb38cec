using MassTransit;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Rollouts;
using Orbit.Hosting.Errors;
using Orbit.Hosting.Messaging;

namespace Orbit.Registry.Rollouts.Evidence;

/// <summary>Gateways' serving windows into <see cref="ServingEvidence"/>; a window that makes no sense goes to the error queue.</summary>
internal sealed class ServingWindowConsumer(ServingEvidence evidence) : IConsumer<ServingWindowObserved>
{
    public Task Consume(ConsumeContext<ServingWindowObserved> context)
    {
        var window = context.Message;
        if (string.IsNullOrEmpty(window.TenantId) || string.IsNullOrEmpty(window.ModelName))
        {
            throw new MessageValidationException("tenantId", "tenant and model are required");
        }

        if (window.ModelVersion < 1)
        {
            throw new MessageValidationException("modelVersion", "must be 1 or more");
        }

        if (window.Requests < 0 || window.Errors < 0 || window.Errors > window.Requests)
        {
            throw new MessageValidationException("errors", "requests and errors must be counts, errors at most requests");
        }

        if (window.LatencySampleMs is null || window.LatencySampleMs.Any(l => !double.IsFinite(l) || l < 0))
        {
            throw new MessageValidationException("latencySampleMs", "must be a list of non-negative milliseconds");
        }

        evidence.Add(window);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every registry hears every window on a queue of its own: evidence is small and kept only minutes, and a
/// registry that restarts judges its next interval on what arrives after it (an inconclusive interval holds).
/// </summary>
internal sealed class ServingWindowConsumerDefinition() : InstanceEventConsumerDefinition<ServingWindowConsumer>("registry-serving-windows-");

/// <summary>The drift monitor's accuracy windows into <see cref="ServingEvidence"/>.</summary>
internal sealed class AccuracyWindowConsumer(ServingEvidence evidence) : IConsumer<AccuracyWindowObserved>
{
    public Task Consume(ConsumeContext<AccuracyWindowObserved> context)
    {
        var window = context.Message;
        if (string.IsNullOrEmpty(window.TenantId) || string.IsNullOrEmpty(window.ModelName) || window.ModelVersion < 1)
        {
            throw new MessageValidationException("modelVersion", "tenant, model and a version of 1 or more are required");
        }

        if (window.Labelled < 0 || window.Correct < 0 || window.Correct > window.Labelled)
        {
            throw new MessageValidationException("correct", "labelled and correct must be counts, correct at most labelled");
        }

        evidence.Add(window);
        return Task.CompletedTask;
    }
}

internal sealed class AccuracyWindowConsumerDefinition() : InstanceEventConsumerDefinition<AccuracyWindowConsumer>("registry-accuracy-windows-");

/// <summary>Each version's drift state, as the drift monitor announces changes to it.</summary>
internal sealed class DriftLevelConsumer(ServingEvidence evidence) : IConsumer<DriftDetected>, IConsumer<DriftCleared>
{
    public Task Consume(ConsumeContext<DriftDetected> context)
    {
        var m = context.Message;
        evidence.Drift(m.TenantId, m.ModelName, m.ModelVersion, m.Feature, m.Level);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DriftCleared> context)
    {
        var m = context.Message;
        evidence.Drift(m.TenantId, m.ModelName, m.ModelVersion, m.Feature, m.Level);
        return Task.CompletedTask;
    }
}

internal sealed class DriftLevelConsumerDefinition() : InstanceEventConsumerDefinition<DriftLevelConsumer>("registry-drift-levels-");

/// <summary>Gateways' shadow windows into <see cref="ServingEvidence"/>; a window that makes no sense goes to the error queue.</summary>
internal sealed class ShadowWindowConsumer(ServingEvidence evidence) : IConsumer<ShadowWindowObserved>
{
    public Task Consume(ConsumeContext<ShadowWindowObserved> context)
    {
        var w = context.Message;
        if (string.IsNullOrEmpty(w.TenantId) || string.IsNullOrEmpty(w.ModelName))
        {
            throw new MessageValidationException("tenantId", "tenant and model are required");
        }

        if (w.StableVersion < 1 || w.ShadowVersion < 1)
        {
            throw new MessageValidationException("shadowVersion", "stable and shadow versions must be 1 or more");
        }

        if (w.Mirrored < 0 || w.Skipped < 0 || w.StableErrors is < 0 || w.StableErrors > w.Mirrored || w.ShadowErrors < 0 || w.ShadowErrors > w.Mirrored
            || w.Compared < 0 || w.Incomparable < 0 || w.Compared + w.Incomparable > w.Mirrored)
        {
            throw new MessageValidationException("mirrored", "counts must be 0 or more; errors, compared and incomparable at most mirrored");
        }

        if (w.ClassifiedRows < 0 || w.AgreedRows < 0 || w.AgreedRows > w.ClassifiedRows || w.NumericValues < 0 || !(w.AbsDiffSum >= 0) || !double.IsFinite(w.AbsDiffSum))
        {
            throw new MessageValidationException("agreedRows", "row and value counts must be 0 or more, agreed at most classified, the difference sum finite and not negative");
        }

        if (w.StableLatencySampleMs is null || w.ShadowLatencySampleMs is null
            || w.StableLatencySampleMs.Concat(w.ShadowLatencySampleMs).Any(l => !double.IsFinite(l) || l < 0))
        {
            throw new MessageValidationException("shadowLatencySampleMs", "must be lists of non-negative milliseconds");
        }

        evidence.Add(w);
        return Task.CompletedTask;
    }
}

internal sealed class ShadowWindowConsumerDefinition() : InstanceEventConsumerDefinition<ShadowWindowConsumer>("registry-shadow-windows-");
