using Orbit.Onnx.Protobuf;

namespace Orbit.Onnx.Conformance;

/// <summary>Any ONNX value a backend case feeds or expects: a tensor, a sequence, a map or an optional.</summary>
internal abstract record DataValue;

internal sealed record DataTensor(TensorProto Tensor) : DataValue;

internal sealed record DataSequence(IReadOnlyList<DataValue> Items) : DataValue;

/// <summary>Keys as a 1-D tensor (int64 or string) and the values as a sequence of the same length.</summary>
internal sealed record DataMap(TensorProto Keys, DataSequence Values) : DataValue;

/// <summary>An optional; <see cref="Value"/> is null for None.</summary>
internal sealed record DataOptional(DataValue? Value) : DataValue;
