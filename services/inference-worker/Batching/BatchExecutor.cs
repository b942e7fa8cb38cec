using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Metrics;
using Orbit.InferenceWorker.Tensors;
using Orbit.Onnx;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.InferenceWorker.Batching;

/// <summary>
/// Runs one batch: requests concatenated along dimension 0 into one Run, outputs split back by
/// rows. When the merged Run fails, each request runs alone, so only the one ORT refuses fails.
/// </summary>
internal sealed partial class BatchExecutor(
    ModelTags tags, InferenceMetrics metrics, WorkerStatistics statistics, TimeProvider time, ILogger logger)
{
    public void Execute(IReadOnlyList<PendingRequest> batch)
    {
        var started = time.GetTimestamp();
        foreach (var request in batch)
        {
            metrics.Queued(tags, time.GetElapsedTime(request.EnqueuedTimestamp, started));
        }

        if (batch.Count > 1)
        {
            try
            {
                RunMerged(batch, started);
                return;
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                LogBatchFailed(logger, tags.TenantId, tags.ModelName, tags.ModelVersion, batch.Count, ex.Message);
            }
        }

        foreach (var request in batch)
        {
            RunAlone(request, time.GetTimestamp());
        }
    }

    private void RunMerged(IReadOnlyList<PendingRequest> batch, long started)
    {
        var session = batch[0].Model.Session;
        var totalRows = batch.Sum(r => r.Rows);
        var inputs = new OnnxTensor[session.Inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var parts = batch.Select(r => r.Inputs[i]).ToArray();
                var shape = (long[])parts[0].Shape.Clone();
                shape[0] = totalRows;
                inputs[i] = TensorBuffers.Concatenate(parts, shape);
            }

            var computeStarted = time.GetTimestamp();
            using var result = session.Run(inputs);
            var compute = time.GetElapsedTime(computeStarted);
            for (var o = 0; o < result.Count; o++)
            {
                if (result[o].Shape.Length == 0 || result[o].Shape[0] != totalRows)
                {
                    throw new InvalidOperationException(
                        $"output '{session.Outputs[o].Name}' has shape {ElementTypes.FormatShape(result[o].Shape)}, not {totalRows} rows; it cannot be split");
                }
            }

            Record(batch.Count, compute);
            long offset = 0;
            foreach (var request in batch)
            {
                var outputs = Slice(session, result, request, offset, request.Rows);
                offset += request.Rows;
                request.Complete(InferenceOutcome.Completed(
                    outputs, QueueMilliseconds(request, started), compute.TotalMilliseconds, batch.Count));
            }
        }
        finally
        {
            foreach (var input in inputs)
            {
                input?.Dispose();
            }
        }
    }

    private void RunAlone(PendingRequest request, long started)
    {
        var session = request.Model.Session;
        var inputs = new OnnxTensor[request.Inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = TensorBuffers.Concatenate([request.Inputs[i]], request.Inputs[i].Shape);
            }

            var computeStarted = time.GetTimestamp();
            using var result = session.Run(inputs);
            var compute = time.GetElapsedTime(computeStarted);
            Record(1, compute);
            var outputs = new List<InferenceTensor>(result.Count);
            for (var o = 0; o < result.Count; o++)
            {
                if (request.WantsOutput(session.Outputs[o].Name))
                {
                    outputs.Add(Whole(session.Outputs[o].Name, result[o]));
                }
            }

            request.Complete(InferenceOutcome.Completed(outputs, QueueMilliseconds(request, started), compute.TotalMilliseconds, 1));
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or NotSupportedException)
        {
            request.Complete(InferenceOutcome.Rejected(RejectionReason.ModelError, ex.Message, queueMilliseconds: QueueMilliseconds(request, started)));
        }
        catch (ArgumentException ex)
        {
            request.Complete(InferenceOutcome.Rejected(RejectionReason.InvalidInput, ex.Message, queueMilliseconds: QueueMilliseconds(request, started)));
        }
        finally
        {
            foreach (var input in inputs)
            {
                input?.Dispose();
            }
        }
    }

    private static List<InferenceTensor> Slice(OnnxSession session, RunResult result, PendingRequest request, long offset, long rows)
    {
        var outputs = new List<InferenceTensor>(result.Count);
        for (var o = 0; o < result.Count; o++)
        {
            var name = session.Outputs[o].Name;
            if (!request.WantsOutput(name))
            {
                continue;
            }

            var tensor = result[o];
            var shape = tensor.Shape.ToArray();
            var perRow = shape.Length == 1 ? 1 : ElementTypes.ElementCount(shape.AsSpan(1));
            shape[0] = rows;
            if (tensor.ElementType == TensorElementType.String)
            {
                var strings = tensor.GetStrings();
                outputs.Add(TensorEncoder.EncodeStrings(name, shape, strings.AsSpan((int)(offset * perRow), (int)(rows * perRow))));
            }
            else
            {
                var size = ElementTypes.SizeOf(tensor.ElementType);
                var bytes = tensor.AsBytes().Slice((int)(offset * perRow * size), (int)(rows * perRow * size));
                outputs.Add(TensorEncoder.Encode(name, tensor.ElementType, shape, bytes));
            }
        }

        return outputs;
    }

    private static InferenceTensor Whole(string name, OnnxTensor tensor) => tensor.ElementType == TensorElementType.String
        ? TensorEncoder.EncodeStrings(name, tensor.Shape.ToArray(), tensor.GetStrings())
        : TensorEncoder.Encode(name, tensor.ElementType, tensor.Shape.ToArray(), tensor.AsBytes());

    private void Record(int requests, TimeSpan compute)
    {
        metrics.BatchRun(tags, requests, compute);
        statistics.BatchRun(requests, compute);
    }

    private double QueueMilliseconds(PendingRequest request, long started) =>
        time.GetElapsedTime(request.EnqueuedTimestamp, started).TotalMilliseconds;

    [LoggerMessage(EventId = WorkerLogEvents.BatchFailed, Level = LogLevel.Warning,
        Message = "A batch of {Count} requests for {Tenant}/{Model} v{Version} failed ({Reason}); running them one by one")]
    private static partial void LogBatchFailed(ILogger logger, string tenant, string model, int version, int count, string reason);
}
