using System.Globalization;
using System.Text.RegularExpressions;
using Orbit.Hosting;

namespace Orbit.Registry.BatchJobs;

/// <summary>
/// Where a job's files live: <c>{data}/batch/{job id}/</c> holds <c>input</c>, <c>chunks/NNNNNN.bin</c>
/// (the rows of each chunk, staged once), <c>parts/NNNNNN.{csv|jsonl|json}</c> (one per completed chunk),
/// <c>errors.csv</c> and <c>output.{format}</c>. Every name is generated here: a client's file name is
/// kept only as a label, never used as a path.
/// </summary>
internal sealed partial class BatchFiles(OrbitServiceInfo service)
{
    public string Root => Path.Combine(service.DataDirectory, "batch");

    public static string NewJobId() => "bj_" + Guid.CreateVersion7().ToString("N");

    public static bool IsJobId(string value) => JobIdPattern().IsMatch(value);

    public string Job(string id) => IsJobId(id) ? Path.Combine(Root, id) : throw new ArgumentException($"'{id}' is not a job id", nameof(id));

    public string Input(string id) => Path.Combine(Job(id), "input");

    public string Chunk(string id, int chunk) => Path.Combine(Job(id), "chunks", Number(chunk) + ".bin");

    /// <summary>A part as JSON (<see cref="PartFile"/>): how Parquet outputs keep their parts, and how every part was kept before fragments.</summary>
    public string Part(string id, int chunk) => Path.Combine(Job(id), "parts", Number(chunk) + ".json");

    /// <summary>A part already in the output's form (CSV, JSONL): see <see cref="OutputMerger.WriteFragmentAsync"/>.</summary>
    public string Fragment(string id, int chunk, string format) => Path.Combine(Job(id), "parts", Number(chunk) + "." + format);

    public string Errors(string id) => Path.Combine(Job(id), "errors.csv");

    public string Output(string id, string format) => Path.Combine(Job(id), "output." + format);

    /// <summary>A fresh file for an upload in progress, moved under its job once accepted.</summary>
    public string NewUpload()
    {
        var staging = Path.Combine(Root, "uploads");
        Directory.CreateDirectory(staging);
        return Path.Combine(staging, Guid.NewGuid().ToString("N") + ".tmp");
    }

    /// <summary>Writes through a temporary file and renames it over <paramref name="path"/>: a reader sees the old file or the new one, never half of one.</summary>
    public static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await write(stream);
                await stream.FlushAsync();
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> (a chunk or a part, rendered in memory) through a temporary file renamed over
    /// <paramref name="path"/>, synchronously: a file of this size is written faster than an asynchronous write hops
    /// through the thread pool.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // Only a write or rename that failed leaves the temporary file: one system call less per part otherwise.
            File.Delete(temp);
            throw;
        }
    }

    private static string Number(int chunk) => chunk.ToString("D6", CultureInfo.InvariantCulture);

    [GeneratedRegex("^bj_[0-9a-f]{32}$")]
    private static partial Regex JobIdPattern();
}
