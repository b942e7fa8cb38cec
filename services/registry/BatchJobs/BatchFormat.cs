namespace Orbit.Registry.BatchJobs;

/// <summary>The file formats a batch job reads and writes.</summary>
internal static class BatchFormat
{
    public const string Csv = "csv";
    public const string Jsonl = "jsonl";
    public const string Parquet = "parquet";

    public static readonly string[] All = [Csv, Jsonl, Parquet];

    public static bool IsKnown(string? format) => format is Csv or Jsonl or Parquet;

    /// <summary>The format a file name's extension suggests (<c>.csv</c>, <c>.jsonl</c>/<c>.ndjson</c>, <c>.parquet</c>), or null.</summary>
    public static string? FromFileName(string? name) => Path.GetExtension(name ?? "").ToLowerInvariant() switch
    {
        ".csv" => Csv,
        ".jsonl" or ".ndjson" => Jsonl,
        ".parquet" => Parquet,
        _ => null,
    };
}
