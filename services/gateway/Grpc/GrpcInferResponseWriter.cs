using System.Globalization;
using Google.Protobuf;
using Orbit.Contracts.Inference;
using Orbit.Gateway.Fleet;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// A worker's answer as a gRPC <c>ModelInferResponse</c>, with the parameters the REST answer has (<c>worker_id</c>
/// as the caller's tenant knows it, <c>batch_size</c>, and <c>queue_ms</c> / <c>compute_ms</c> as decimal strings:
/// the protocol's parameters have no floating-point kind). Outputs travel in <c>raw_output_contents</c>, as Triton
/// answers and its clients read, unless the request sent typed <c>contents</c>: then they come back typed too, as
/// KServe answers, except when an output is FP16 or BF16, which only raw contents can carry.
/// </summary>
internal static class GrpcInferResponseWriter
{
    public static ModelInferResponse Write(string model, InferenceCompleted completed, string? id, Caller caller, bool typed)
    {
        var response = new ModelInferResponse
        {
            ModelName = model,
            ModelVersion = completed.ModelVersion.ToString(CultureInfo.InvariantCulture),
            Id = id ?? "",
        };
        response.Parameters.Add("worker_id", Text(caller.IsPlatform ? completed.WorkerId : TenantFleetView.Alias(caller.TenantId, completed.WorkerId)));
        response.Parameters.Add("batch_size", new InferParameter { Int64Param = completed.BatchSize });
        response.Parameters.Add("queue_ms", Text(Math.Round(completed.QueueMilliseconds, 3).ToString(CultureInfo.InvariantCulture)));
        response.Parameters.Add("compute_ms", Text(Math.Round(completed.ComputeMilliseconds, 3).ToString(CultureInfo.InvariantCulture)));

        typed &= completed.Outputs.All(o => GrpcTensorContents.FieldOf(o.Datatype) is not null);
        foreach (var output in completed.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype };
            tensor.Shape.AddRange(output.Shape);
            // Workers answer every output as raw bytes (TensorEncoder); JSON data is only ever an input form.
            var raw = output.RawData ?? [];
            if (typed)
            {
                tensor.Contents = GrpcTensorContents.FromRaw(output.Datatype, raw);
            }
            else
            {
                // The worker's bytes, not copied: the message is written out and dropped.
                response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(raw));
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static InferParameter Text(string value) => new() { StringParam = value };
}
