namespace Orbit.InferenceWorker.Models;

/// <summary>A model version could not be downloaded, verified or loaded on this worker.</summary>
internal sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
