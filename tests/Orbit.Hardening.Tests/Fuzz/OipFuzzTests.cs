using System.Net;
using System.Text.Json;
using CsCheck;
using Orbit.Hardening.Tests.Support;

namespace Orbit.Hardening.Tests.Fuzz;

[Collection(PlatformCollection.Name)]
public sealed class OipFuzzTests(Platform platform)
{
    public const int Iterations = 600;

    /// <summary>
    /// 600 generated bodies against a model that a real worker serves: none may answer 5xx (but a 504
    /// to a request that set itself a 1 ms timeout), hang past the client's 30 s, or take the worker
    /// down; every refusal is OIP's <c>{"error": …}</c>.
    /// </summary>
    [Fact]
    public async Task Generated_malformed_infer_bodies_are_answered_below_500_in_OIP_form()
    {
        using var client = platform.Gateway(platform.Owner.Key);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();

        await OipBodies.Bytes(platform.InferBody).SampleAsync(async body =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync($"/v2/models/{platform.Model}/infer", content);
            var text = await response.Content.ReadAsStringAsync();
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            // A 504 is the contract for a request that gave itself a deadline it could not meet (parameters.timeout of 1 ms).
            var askedForIt = response.StatusCode == HttpStatusCode.GatewayTimeout && System.Text.Encoding.UTF8.GetString(body).Contains("\"timeout\":", StringComparison.Ordinal);
            Assert.True((int)response.StatusCode < 500 || askedForIt, $"{(int)response.StatusCode} for {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(body.Length, 400)]}: {text}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("error", out _), text);
            }
        }, iter: Iterations, threads: 2);

        using var valid = await client.PostAsync($"/v2/models/{platform.Model}/infer", new StringContent(platform.InferBody, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.True(statuses.Keys.Count(s => s >= 400) >= 1, "the generator produced no malformed body at all");
        FuzzFigures.Record("OIP infer bodies", Iterations, statuses);
    }
}
