using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orbit.Contracts.Models;
using Orbit.Contracts.Registry;
using Orbit.Contracts.Wire;
using Orbit.Gateway.Grpc.Protocol;
using Orbit.Gateway.Inference;
using Orbit.Hosting;
using Orbit.Hosting.Health;
using Orbit.Hosting.Security;

namespace Orbit.Gateway.Grpc;

/// <summary>
/// The Open Inference Protocol v2 over gRPC (<c>inference.GRPCInferenceService</c>), answering as the REST routes
/// do: the same keys (<c>authorization: Bearer …</c> or <c>x-api-key</c> metadata) and roles, the same tenancy
/// (another tenant's model is NOT_FOUND), routing, limits and texts, each refusal under its gRPC code.
/// </summary>
internal sealed class InferenceGrpcService(InferenceServices services, HealthCheckService health, InferenceMetricsFilter metrics)
    : GRPCInferenceService.GRPCInferenceServiceBase
{
    [AllowAnonymous]
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    [AllowAnonymous]
    public override async Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), context.CancellationToken);
        return new ServerReadyResponse { Ready = report.Status == HealthStatus.Healthy };
    }

    [Authorize(Policy = Policies.Viewer)]
    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = "orbit", Version = OrbitServiceInfo.Version });

    [Authorize(Policy = Policies.Viewer)]
    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context.GetHttpContext().User);
        var version = Describe(caller, request.Name, request.Version).Version;
        return Task.FromResult(new ModelReadyResponse { Ready = services.Fleet.Serves(caller.TenantId, request.Name, version) });
    }

    [Authorize(Policy = Policies.Viewer)]
    public override async Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var caller = Caller.From(http.User);
        var (table, version) = Describe(caller, request.Name, request.Version);
        var key = ApiKeyHeader.Read(http.Request.Headers)!;
        var signature = await services.Signatures.GetAsync(caller.TenantId, request.Name, version, key, context.CancellationToken)
            ?? throw GrpcRefusal.From(OipError.NotFound($"version {version} of model '{request.Name}' not found")).ToException();

        var response = new ModelMetadataResponse { Name = request.Name, Platform = "onnxruntime_onnx" };
        response.Versions.AddRange(table.Routes.Select(r => r.Version.ToString(CultureInfo.InvariantCulture)));
        response.Inputs.AddRange(signature.Inputs.Select(Tensor));
        response.Outputs.AddRange(signature.Outputs.Select(Tensor));
        return response;
    }

    [Authorize(Policy = Policies.Predictor)]
    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var started = services.Time.GetTimestamp();
        var (response, refusal) = await GrpcInferCall.HandleAsync(request, context, services);
        var tenant = Caller.From(context.GetHttpContext().User).TenantId;
        var version = response is null ? refusal!.Version : int.Parse(response.ModelVersion, CultureInfo.InvariantCulture);
        metrics.Record(tenant, request.ModelName, version, refusal?.HttpStatus ?? StatusCodes.Status200OK, services.Time.GetElapsedTime(started));
        return response ?? throw refusal!.ToException();
    }

    /// <summary>The caller's deployed model and the version metadata and readiness describe (the stable one unless named), as REST finds them.</summary>
    private (DeploymentChanged Table, int Version) Describe(Caller caller, string model, string version)
    {
        var (table, error) = InferenceEndpoints.FindDeployment(services.Routing, caller.TenantId, model);
        if (table is null)
        {
            throw GrpcRefusal.From(error!).ToException();
        }

        var (chosen, versionError) = InferenceEndpoints.DescribedVersion(table, version.Length > 0 ? version : null);
        return versionError is null ? (table, chosen) : throw GrpcRefusal.From(versionError).ToException();
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(SignatureTensor tensor)
    {
        var metadata = new ModelMetadataResponse.Types.TensorMetadata { Name = tensor.Name, Datatype = OipDatatypes.FromOnnxName(tensor.Datatype) };
        metadata.Shape.AddRange(tensor.Shape.Select(d => long.TryParse(d, CultureInfo.InvariantCulture, out var size) ? size : -1));
        return metadata;
    }
}
