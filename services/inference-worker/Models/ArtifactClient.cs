using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Orbit.Contracts.Wire;

namespace Orbit.InferenceWorker.Models;

/// <summary>
/// Downloads an artifact from the registry (<c>GET /v1/artifacts/{digest}</c>) into a file while
/// hashing it, and refuses bytes whose SHA-256 is not the digest asked for.
/// </summary>
internal sealed partial class ArtifactClient(IHttpClientFactory clients, IOptions<WorkerOptions> options, ILogger<ArtifactClient> logger)
{
    /// <summary>The named HttpClient for the registry; tests replace its primary handler.</summary>
    public const string HttpClientName = "orbit-registry";

    public async Task DownloadAsync(string digest, string destination, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.CanDownload)
        {
            throw new ModelUnavailableException(
                $"Orbit:Worker:RegistryKey is not set, so this worker cannot download {digest} from the registry.");
        }

        var client = clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(settings.RegistryUrl), $"v1/artifacts/{digest}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.RegistryKey);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelUnavailableException($"The registry at {settings.RegistryUrl} did not answer for {digest}: {ex.Message}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelUnavailableException(
                    $"The registry answered {(int)response.StatusCode} {response.ReasonPhrase} for artifact {digest}.");
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
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
    }

    [LoggerMessage(EventId = WorkerLogEvents.Downloaded, Level = LogLevel.Information, Message = "Downloaded artifact {Digest} ({Bytes} bytes), SHA-256 verified")]
    private static partial void LogDownloaded(ILogger logger, string digest, long bytes);

    [LoggerMessage(EventId = WorkerLogEvents.DigestMismatch, Level = LogLevel.Error, Message = "Refused artifact {Digest}: its {Bytes} bytes hash to {Actual}")]
    private static partial void LogDigestMismatch(ILogger logger, string digest, string actual, long bytes);
}
