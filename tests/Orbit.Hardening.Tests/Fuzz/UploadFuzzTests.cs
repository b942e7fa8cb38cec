using System.Collections.Concurrent;
using System.Net.Http.Headers;
using CsCheck;
using Orbit.Hardening.Tests.Support;

namespace Orbit.Hardening.Tests.Fuzz;

[Collection(PlatformCollection.Name)]
public sealed class UploadFuzzTests(Platform platform)
{
    public const int Iterations = 200;

    /// <summary>200 generated uploads through the gateway: none answers 5xx or hangs, and the registry stays ready.</summary>
    [Fact]
    public async Task Generated_malformed_uploads_are_answered_below_500()
    {
        // Not the owner's model: identical bytes would share its digest, which the cross-tenant probes look for.
        var model = await File.ReadAllBytesAsync(Platform.ReluModel);
        using var client = platform.Gateway(platform.Other.Key);
        var statuses = new ConcurrentDictionary<int, int>();

        await UploadBodies.Uploads(model).SampleAsync(async upload =>
        {
            using var content = new ByteArrayContent(upload.Body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(upload.ContentType);
            using var response = await client.PostAsync($"/v1/models/{upload.Name}/versions", content);
            var text = await response.Content.ReadAsStringAsync();
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {upload}: {text}");
        }, iter: Iterations, threads: 2);

        using var registry = platform.Registry(null);
        Assert.True((await registry.GetAsync("/health/ready")).IsSuccessStatusCode);
        FuzzFigures.Record("version uploads", Iterations, statuses);
    }
}
