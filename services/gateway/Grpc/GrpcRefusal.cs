using Grpc.Core;
using Orbit.Gateway.Inference;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// A refused gRPC call: the status code and text, and the HTTP status the same refusal has over REST, which the
/// inference metrics and serving windows record so that both doors count alike.
/// </summary>
internal sealed record GrpcRefusal(StatusCode Code, string Message, int HttpStatus, int? Version = null)
{
    /// <summary>The REST refusal's text, with the gRPC code for its status (<see cref="GrpcErrorShape.CodeFor"/>).</summary>
    public static GrpcRefusal From(OipError error) =>
        new((StatusCode)GrpcErrorShape.CodeFor(error.StatusCode), error.Message, error.StatusCode, error.Version);

    public static GrpcRefusal InvalidArgument(string message) => new(StatusCode.InvalidArgument, message, StatusCodes.Status400BadRequest);

    public RpcException ToException() => new(new Status(Code, Message));
}
