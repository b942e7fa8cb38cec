using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Orbit.Gateway.Grpc.Protocol;

namespace Orbit.Inference.Bench;

/// <summary>The platform's gRPC endpoint, called as a generated client calls it: one channel (HTTP/2 without TLS), raw input contents.</summary>
internal sealed class GrpcTarget(Uri address, string apiKey) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address);
    private readonly Metadata _auth = new() { { "authorization", "Bearer " + apiKey } };

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    /// <summary>The same request as <see cref="InferRequest.Body"/>, with the input as raw little-endian FP32.</summary>
    public static ModelInferRequest Request(BenchModel model)
    {
        var values = new float[model.InputCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = InferRequest.Value(i);
        }

        var request = new ModelInferRequest { ModelName = model.Name };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = model.InputName, Datatype = "FP32", Shape = { model.InputShape } });
        request.RawInputContents.Add(ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
        return request;
    }

    /// <summary>Null when the call succeeded; else its status code.</summary>
    public async Task<string?> SendAsync(ModelInferRequest request)
    {
        try
        {
            await Client.ModelInferAsync(request, _auth, deadline: DateTime.UtcNow.AddSeconds(30));
            return null;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString();
        }
    }

    public async Task<float[]> FirstOutputAsync(ModelInferRequest request)
    {
        var response = await Client.ModelInferAsync(request, _auth);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray();
    }

    public void Dispose() => _channel.Dispose();
}
