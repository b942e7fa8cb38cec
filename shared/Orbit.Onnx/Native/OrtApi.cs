namespace Orbit.Onnx.Native;

/// <summary>
/// The OrtApi function table, read once by slot index (0-based, in header order; ORT only ever appends).
/// Static readonly function pointers let the JIT call them directly.
/// Every pointer argument is an nint; every OrtStatus* return goes through <see cref="OrtStatus.Check"/>.
/// </summary>
internal static unsafe class OrtApi
{
    private static readonly nint* T = OrtLibrary.Table;

    // (code, message): used by tests of the status check.
    public static readonly delegate* unmanaged<int, byte*, nint> CreateStatus = (delegate* unmanaged<int, byte*, nint>)T[0];
    public static readonly delegate* unmanaged<nint, int> GetErrorCode = (delegate* unmanaged<nint, int>)T[1];
    public static readonly delegate* unmanaged<nint, byte*> GetErrorMessage = (delegate* unmanaged<nint, byte*>)T[2];

    // (logging function, logger param, severity, logid, out env)
    public static readonly delegate* unmanaged<nint, nint, int, byte*, nint*, nint> CreateEnvWithCustomLogger =
        (delegate* unmanaged<nint, nint, int, byte*, nint*, nint>)T[4];

    // (env, path, options, out session)
    public static readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession =
        (delegate* unmanaged<nint, byte*, nint, nint*, nint>)T[7];

    // (env, bytes, length, options, out session)
    public static readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray =
        (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)T[8];

    // (session, run options, input names, inputs, input count, output names, output count, outputs)
    public static readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run =
        (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)T[9];

    public static readonly delegate* unmanaged<nint*, nint> CreateSessionOptions = (delegate* unmanaged<nint*, nint>)T[10];
    public static readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)T[13];
    public static readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)T[23];
    public static readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)T[24];
    public static readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)T[25];

    public static readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)T[30];
    public static readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)T[31];
    public static readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)T[33];
    public static readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)T[34];
    public static readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)T[36];
    public static readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)T[37];

    // (allocator, shape, rank, element type, out value)
    public static readonly delegate* unmanaged<nint, long*, nuint, int, nint*, nint> CreateTensorAsOrtValue =
        (delegate* unmanaged<nint, long*, nuint, int, nint*, nint>)T[48];

    // (memory info, data, byte length, shape, rank, element type, out value)
    public static readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue =
        (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)T[49];

    public static readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)T[51];
    public static readonly delegate* unmanaged<nint, byte**, nuint, nint> FillStringTensor = (delegate* unmanaged<nint, byte**, nuint, nint>)T[52];
    public static readonly delegate* unmanaged<nint, nuint*, nint> GetStringTensorDataLength = (delegate* unmanaged<nint, nuint*, nint>)T[53];

    // (value, bytes, byte length, offsets, offset count)
    public static readonly delegate* unmanaged<nint, void*, nuint, nuint*, nuint, nint> GetStringTensorContent =
        (delegate* unmanaged<nint, void*, nuint, nuint*, nuint, nint>)T[54];

    public static readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)T[55];
    public static readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)T[56];
    public static readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)T[60];
    public static readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)T[61];
    public static readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)T[62];
    public static readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)T[63];
    public static readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)T[65];
    public static readonly delegate* unmanaged<nint, int*, nint> GetValueType = (delegate* unmanaged<nint, int*, nint>)T[67];

    // (allocator type, memory type, out memory info)
    public static readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)T[69];
    public static readonly delegate* unmanaged<nint, void*, nint> AllocatorFree = (delegate* unmanaged<nint, void*, nint>)T[76];
    public static readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)T[78];

    public static readonly delegate* unmanaged<nint, void> ReleaseEnv = (delegate* unmanaged<nint, void>)T[92];
    public static readonly delegate* unmanaged<nint, void> ReleaseStatus = (delegate* unmanaged<nint, void>)T[93];
    public static readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)T[94];
    public static readonly delegate* unmanaged<nint, void> ReleaseSession = (delegate* unmanaged<nint, void>)T[95];
    public static readonly delegate* unmanaged<nint, void> ReleaseValue = (delegate* unmanaged<nint, void>)T[96];
    public static readonly delegate* unmanaged<nint, void> ReleaseTypeInfo = (delegate* unmanaged<nint, void>)T[98];
    public static readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)T[99];
    public static readonly delegate* unmanaged<nint, void> ReleaseSessionOptions = (delegate* unmanaged<nint, void>)T[100];

    public static readonly delegate* unmanaged<nint, nint, nint> SessionOptionsAppendExecutionProvider_CUDA_V2 =
        (delegate* unmanaged<nint, nint, nint>)T[204];
    public static readonly delegate* unmanaged<nint*, nint> CreateCUDAProviderOptions = (delegate* unmanaged<nint*, nint>)T[205];

    // (cuda options, keys, values, count)
    public static readonly delegate* unmanaged<nint, byte**, byte**, nuint, nint> UpdateCUDAProviderOptions =
        (delegate* unmanaged<nint, byte**, byte**, nuint, nint>)T[206];
    public static readonly delegate* unmanaged<nint, void> ReleaseCUDAProviderOptions = (delegate* unmanaged<nint, void>)T[208];

    // (value, element type, shape borrowed from the value, rank): API 24+, no allocation. Slot checked against
    // GetTensorTypeAndShape on float, int64 and scalar tensors of ORT 1.30.
    public static readonly delegate* unmanaged<nint, int*, long**, nuint*, nint> GetTensorElementTypeAndShapeDataReference =
        (delegate* unmanaged<nint, int*, long**, nuint*, nint>)T[414];
}
