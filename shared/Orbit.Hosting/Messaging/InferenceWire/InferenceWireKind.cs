namespace Orbit.Hosting.Messaging.InferenceWire;

/// <summary>The byte after the magic: which of the six messages the body holds.</summary>
internal enum InferenceWireKind : byte
{
    Requested = 1,
    BatchRequested = 2,
    Completed = 3,
    BatchCompleted = 4,
    ChunkRequested = 5,
    ChunkCompleted = 6,
}
