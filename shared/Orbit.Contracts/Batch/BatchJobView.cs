namespace Orbit.Contracts.Batch;

/// <summary>
/// A batch job as <c>GET /v1/batch-jobs/{id}</c> shows it. <c>State</c>: <c>preparing</c> (the input is being
/// split), <c>running</c>, <c>completed</c>, <c>failed</c> (see <c>Reason</c>) or <c>cancelled</c>.
/// Rows are data rows of the input (a CSV's header is not one); <c>RowsFailed</c> are in the errors file.
/// </summary>
public sealed record BatchJobView(
    string Id,
    string Model,
    int Version,
    string State,
    string InputFormat,
    string OutputFormat,
    int ChunkSize,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Keep,
    long RowsTotal,
    long RowsDone,
    long RowsFailed,
    int ChunksTotal,
    int ChunksDone,
    double RowsPerSecond,
    double? EtaSeconds,
    double MaxErrorRatio,
    string? Reason,
    string? InputName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string CreatedBy);

/// <summary>
/// A batch input uploaded once to <c>POST /v1/files</c> and submitted by id (<c>fileId</c>) as often as wanted.
/// <see cref="Name"/> is the client's file name as a label; <see cref="Sha256"/> the content's digest.
/// </summary>
public sealed record BatchInputView(string Id, string? Name, long SizeBytes, string Sha256, DateTimeOffset CreatedAt, string CreatedBy);
