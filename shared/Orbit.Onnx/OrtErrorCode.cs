namespace Orbit.Onnx;

/// <summary>OrtErrorCode from onnxruntime_c_api.h (the official binding's ErrorCode).</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
    ShapeInferenceNotRegistered = 12,
    RequirementNotRegistered = 13,
}
