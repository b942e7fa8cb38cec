using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;

namespace Orbit.InferenceWorker.Models;

/// <summary>
/// Downloads an artifact from the registry (<c>GET /v1/artifacts/{digest}</c>) into a file while
/// hashing it, and refuses bytes whose SHA-256 is not the digest asked for. A try that errors,
/// stalls longer than <c>DownloadReadTimeoutSeconds</c> on one read, or is cut (a registry restart)
/// is retried from the start with exponential backoff, <c>DownloadAttempts</c> times in all.
/// </summary>
internal sealed partial class ArtifactClient(
    IHttpClientFactory clients, IOptions<WorkerOptions> options, TimeProvider time, ILogger<ArtifactClient> logger)
{
    /// <summary>The named HttpClient for the registry; tests replace its primary handler.</summary>
    public const string HttpClientName = "orbit-registry";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public async Task DownloadAsync(string digest, string destination, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.CanDownload)
        {
            throw new ModelUnavailableException(
                $"Orbit:Worker:RegistryKey is not set, so this worker cannot download {digest} from the registry.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TryDownloadAsync(digest, destination, settings, cancellationToken);
                return;
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                File.Delete(destination);
                var reason = ex is OperationCanceledException
                    ? $"no bytes for {settings.DownloadReadTimeoutSeconds} s"
                    : ex.Message;
                if (attempt >= settings.DownloadAttempts)
                {
                    throw new ModelUnavailableException(
                        $"The registry at {settings.RegistryUrl} did not deliver {digest} in {attempt} tries; last: {reason}", ex);
                }

                var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, settings.DownloadBackoffMilliseconds * Math.Pow(2, attempt - 1)));
                LogRetrying(logger, digest, attempt, settings.DownloadAttempts, reason, backoff.TotalSeconds);
                await Task.Delay(backoff, time, cancellationToken);
            }
        }
    }

    /// <summary>Network faults and our own read timeout are retried; the caller's cancellation and refusals (4xx, a bad digest) are not.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException => true,
        RegistryUnavailableException => true,
        _ => false,
    };

    private async Task TryDownloadAsync(string digest, string destination, WorkerOptions settings, CancellationToken cancellationToken)
    {
        var readTimeout = TimeSpan.FromSeconds(settings.DownloadReadTimeoutSeconds);
        var client = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.RegistryUrl), $"v1/artifacts/{digest}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.RegistryKey);
        HttpResponseMessage response;
        using (var headers = Deadline(readTimeout, cancellationToken))
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        }

        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var message = $"The registry answered {status} {response.ReasonPhrase} for artifact {digest}.";
            throw status >= 500 || status is 408 or 429
                ? new RegistryUnavailableException(message)
                : new ModelUnavailableException(message);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var target = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            while (true)
            {
                // Each read gets the whole timeout: a large artifact may take long, a stalled one may not.
                int read;
                using (var deadline = Deadline(readTimeout, cancellationToken))
                {
                    read = await source.ReadAsync(buffer, deadline.Token);
                }

                if (read == 0)
                {
                    break;
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }

        var actual = Digest.Of(hash.GetHashAndReset());
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            File.Delete(destination);
            LogDigestMismatch(logger, digest, actual, length);
            throw new ModelUnavailableException($"The registry sent bytes for {digest} that hash to {actual}; refused.");
        }

        LogDownloaded(logger, digest, length);
    }

    private ReadDeadline Deadline(TimeSpan timeout, CancellationToken cancellationToken) => new(timeout, time, cancellationToken);

    /// <summary>Cancelled by the caller or after <c>timeout</c> on the worker's clock.</summary>
    private sealed class ReadDeadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) : IDisposable
    {
        private readonly CancellationTokenSource _timer = new(timeout, time);
        private CancellationTokenSource? _linked;

        public CancellationToken Token => (_linked ??= CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token)).Token;

        public void Dispose()
        {
            _linked?.Dispose();
            _timer.Dispose();
        }
    }

    /// <summary>A 5xx, 408 or 429: the registry may answer differently on the next try.</summary>
    private sealed class RegistryUnavailableException(string message) : Exception(message);

    [LoggerMessage(EventId = WorkerLogEvents.Downloaded, Level = LogLevel.Information, Message = "Downloaded artifact {Digest} ({Bytes} bytes), SHA-256 verified")]
    private static partial void LogDownloaded(ILogger logger, string digest, long bytes);

    [LoggerMessage(EventId = WorkerLogEvents.DigestMismatch, Level = LogLevel.Error, Message = "Refused artifact {Digest}: its {Bytes} bytes hash to {Actual}")]
    private static partial void LogDigestMismatch(ILogger logger, string digest, string actual, long bytes);

    [LoggerMessage(EventId = WorkerLogEvents.DownloadRetrying, Level = LogLevel.Warning,
        Message = "Download of {Digest} failed (try {Attempt} of {Attempts}: {Reason}); retrying in {Seconds:0.#} s")]
    private static partial void LogRetrying(ILogger logger, string digest, int attempt, int attempts, string reason, double seconds);
}
