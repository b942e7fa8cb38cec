using System.Text.Json;

namespace Orbit.Contracts.Inference;

/// <summary>
/// One named tensor as the Open Inference Protocol v2 describes it. <c>Data</c> holds the
/// elements as a flat (or nested) JSON array in row-major order; <c>RawData</c> holds the same
/// elements as little-endian bytes (base64 in JSON). Exactly one of them is set.
/// </summary>
public sealed record InferenceTensor(
    string Name,
    string Datatype,
    long[] Shape,
    JsonElement? Data = null,
    byte[]? RawData = null);
