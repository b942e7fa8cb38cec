namespace Orbit.Registry.Artifacts;

/// <summary>An uploaded file in the temp folder, hashed, not yet in the store. Disposing it deletes what was not committed.</summary>
internal sealed class StagedArtifact(string tempPath, string hex, long size) : IDisposable
{
    public string TempPath { get; } = tempPath;

    public string Hex { get; } = hex;

    public long Size { get; } = size;

    public string Digest => Orbit.Contracts.Wire.Digest.Format(Hex);

    public void Dispose()
    {
        if (File.Exists(TempPath))
        {
            File.Delete(TempPath);
        }
    }
}
