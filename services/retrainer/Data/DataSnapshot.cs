using System.Security.Cryptography;
using Orbit.Contracts.Wire;
using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Data;

/// <summary>
/// Content-addressed snapshots of training data: the SHA-256 of the table's canonical CSV
/// (<see cref="CanonicalCsv"/>), stored once at <c>&lt;data&gt;/snapshots/sha256/ab/cdef….csv</c>. The same rows in the
/// same order always hash the same; the hash becomes <c>lineage.dataSnapshotHash</c> of the version trained on them.
/// </summary>
internal static class DataSnapshot
{
    public static string HashOf(TrainingTable table) => Digest.Of(SHA256.HashData(CanonicalCsv.Encode(table)));

    /// <summary>Writes the snapshot (if not stored yet) and returns its hash (<c>sha256:…</c>) and path.</summary>
    public static async Task<(string Hash, string Path)> StoreAsync(TrainingTable table, string dataDirectory, CancellationToken cancellationToken)
    {
        var bytes = CanonicalCsv.Encode(table);
        var hash = Digest.Of(SHA256.HashData(bytes));
        var hex = hash["sha256:".Length..];
        var folder = System.IO.Path.Combine(dataDirectory, "snapshots", "sha256", hex[..2]);
        var path = System.IO.Path.Combine(folder, hex[2..] + ".csv");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return (hash, path);
    }
}
