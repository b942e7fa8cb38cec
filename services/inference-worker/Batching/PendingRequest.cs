using Orbit.InferenceWorker.Models;
using Orbit.InferenceWorker.Tensors;

namespace Orbit.InferenceWorker.Batching;

/// <summary>
/// A checked request waiting for its batch: inputs in the model's input order, the session it runs
/// on, its deadline, and the completion its consumer awaits.
/// </summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<InferenceOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingRequest(
        string requestId, LoadedModel model, DecodedTensor[] inputs, IReadOnlyList<string>? requestedOutputs,
        DateTimeOffset deadline, long enqueuedTimestamp, bool mayMerge = true)
    {
        RequestId = requestId;
        Model = model;
        Inputs = inputs;
        RequestedOutputs = requestedOutputs;
        Deadline = deadline;
        EnqueuedTimestamp = enqueuedTimestamp;
        Rows = mayMerge ? BatchRows(model, inputs) : 0;
        BatchKey = Rows > 0 ? KeyOf(inputs) : null;
    }

    public string RequestId { get; }

    public LoadedModel Model { get; }

    public DecodedTensor[] Inputs { get; }

    public IReadOnlyList<string>? RequestedOutputs { get; }

    public DateTimeOffset Deadline { get; }

    public long EnqueuedTimestamp { get; }

    /// <summary>Rows along dimension 0 that this request adds to a batch; 0 when it must run alone.</summary>
    public long Rows { get; }

    /// <summary>Element types and non-batch dimensions of every input; requests merge only when theirs are equal.</summary>
    public string? BatchKey { get; }

    /// <summary>Counted in its model's <see cref="Arrivals"/>: the batcher marks it arrived when it takes it from the queue.</summary>
    public bool Expected { get; init; }

    public Task<InferenceOutcome> Completion => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    public void Complete(InferenceOutcome outcome) => _completion.TrySetResult(outcome);

    public bool WantsOutput(string name) => RequestedOutputs is null || RequestedOutputs.Contains(name, StringComparer.Ordinal);

    private static long BatchRows(LoadedModel model, DecodedTensor[] inputs)
    {
        if (!model.CanBatch || inputs.Length == 0 || inputs[0].Shape.Length == 0)
        {
            return 0;
        }

        var rows = inputs[0].Shape[0];
        foreach (var input in inputs)
        {
            if (input.Shape.Length == 0 || input.Shape[0] != rows)
            {
                return 0;
            }
        }

        return rows;
    }

    private static string KeyOf(DecodedTensor[] inputs) =>
        string.Join(';', inputs.Select(i => $"{(int)i.ElementType}:{string.Join(',', i.Shape.Skip(1))}"));
}
