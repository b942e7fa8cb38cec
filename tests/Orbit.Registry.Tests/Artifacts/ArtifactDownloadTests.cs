using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Orbit.Registry.Tests.Support;

namespace Orbit.Registry.Tests.Artifacts;

public abstract class ArtifactDownloadTests(RegistryFixture registry)
{
    private readonly RegistryClient _admin = registry.Host.Client();

    [Fact]
    public async Task A_download_returns_the_exact_bytes_with_their_digest()
    {
        var bytes = TestModels.Read("test_matmul_2d");
        var version = await _admin.PushAsync(TestModels.UniqueName(), bytes);

        using var response = await _admin.Http.GetAsync($"/v1/artifacts/{version.Digest}");

        await RegistryClient.ExpectAsync(response, HttpStatusCode.OK);
        var downloaded = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, downloaded);
        Assert.Equal(version.Digest, Assert.Single(response.Headers.GetValues("X-Orbit-Digest")));
        Assert.Equal(version.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(downloaded)));
    }

    [Fact]
    public async Task A_range_request_returns_exactly_that_range()
    {
        var bytes = TestModels.Read("test_matmul_3d");
        var version = await _admin.PushAsync(TestModels.UniqueName(), bytes);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/artifacts/{version.Digest}") { Headers = { Range = new RangeHeaderValue(10, 29) } };

        using var response = await _admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(bytes[10..30], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, response.Content.Headers.ContentRange!.Length);
    }

    [Fact]
    public async Task A_tampered_object_is_refused_never_served()
    {
        var version = await _admin.PushAsync(TestModels.UniqueName(), TestModels.Read("test_matmul_4d"));
        var hex = version.Digest["sha256:".Length..];
        var path = Path.Combine(registry.Store.ObjectsDirectory, hex[..2], hex[2..]);
        var stored = await File.ReadAllBytesAsync(path);
        stored[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, stored);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));

        using var response = await _admin.Http.GetAsync($"/v1/artifacts/{version.Digest}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("urn:orbit:problem:artifact-corrupted", body);
    }

    [Fact]
    public async Task A_tampered_object_of_the_same_size_and_write_time_is_refused_even_after_a_good_download()
    {
        var version = await _admin.PushAsync(TestModels.UniqueName(), TestModels.Read("test_neg"));
        using (var first = await _admin.Http.GetAsync($"/v1/artifacts/{version.Digest}"))
        {
            await RegistryClient.ExpectAsync(first, HttpStatusCode.OK);
        }

        var hex = version.Digest["sha256:".Length..];
        var path = Path.Combine(registry.Store.ObjectsDirectory, hex[..2], hex[2..]);
        var written = File.GetLastWriteTimeUtc(path);
        var stored = await File.ReadAllBytesAsync(path);
        stored[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(path, stored);
        File.SetLastWriteTimeUtc(path, written);

        using var response = await _admin.Http.GetAsync($"/v1/artifacts/{version.Digest}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("urn:orbit:problem:artifact-corrupted", body);
    }

    [Theory]
    [InlineData("sha256:..%2F..%2Fregistry.db")]
    [InlineData("sha256:ABCDEF")]
    [InlineData("md5:0123456789abcdef0123456789abcdef")]
    public async Task A_digest_that_is_not_a_sha256_is_400(string digest)
    {
        using var response = await _admin.Http.GetAsync($"/v1/artifacts/{digest}");

        var (status, field, _) = await RegistryClient.ProblemAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("digest", field);
    }

    [Fact]
    public async Task An_unknown_digest_is_404()
    {
        using var response = await _admin.Http.GetAsync($"/v1/artifacts/sha256:{new string('0', 64)}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class ArtifactDownloadOnSqlite(SqliteRegistry registry) : ArtifactDownloadTests(registry), IClassFixture<SqliteRegistry>;

public sealed class ArtifactDownloadOnPostgres(PostgresRegistry registry) : ArtifactDownloadTests(registry), IClassFixture<PostgresRegistry>;
