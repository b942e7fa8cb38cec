using System.Text.Json;

namespace Orbit.Contracts.Registry;

/// <summary>A model; <see cref="Tenant"/> names its tenant (a platform key's listing holds every tenant's models).</summary>
public sealed record ModelView(
    string Name,
    int VersionCount,
    int? LatestVersion,
    DeploymentView? Deployment,
    DateTimeOffset CreatedAt,
    string Tenant);

/// <summary>A tensor of a model's signature; a dimension is a number, or a name when it is symbolic (<c>batch</c>), or <c>?</c>.</summary>
public sealed record SignatureTensor(string Name, string Datatype, IReadOnlyList<string> Shape);

public sealed record ModelSignature(IReadOnlyList<SignatureTensor> Inputs, IReadOnlyList<SignatureTensor> Outputs, string Provider);

/// <summary>
/// One version. <see cref="Metadata"/> is the metadata part it was uploaded with (training date,
/// dataset version, metrics, feature schema, baseline statistics, lineage), as stored.
/// </summary>
public sealed record VersionView(
    string Model,
    int Version,
    string Digest,
    long SizeBytes,
    string Status,
    string? Description,
    IReadOnlyList<string> Tags,
    JsonElement Metadata,
    ModelSignature Signature,
    DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>The mutable part of a version: <c>PATCH /v1/models/{name}/versions/{v}</c>.</summary>
public sealed record UpdateVersion(string? Description = null, IReadOnlyList<string>? Tags = null);
