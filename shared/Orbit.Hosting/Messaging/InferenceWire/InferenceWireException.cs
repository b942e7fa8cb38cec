namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>Bytes that are not a message of <see cref="InferenceWireFormat"/>; the message says why.</summary>
public sealed class InferenceWireException(string message, Exception? inner = null) : Exception(message, inner);
