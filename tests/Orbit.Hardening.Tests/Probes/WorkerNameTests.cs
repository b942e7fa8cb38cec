using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Hardening.Tests.Support;

namespace Orbit.Hardening.Tests.Probes;

[Collection(PlatformCollection.Name)]
public sealed class WorkerNameTests(Platform platform)
{
    /// <summary>A tenant's answers name the worker by the alias its fleet view shows, never by the shared machine's instance id.</summary>
    [Fact]
    public async Task A_tenant_learns_the_worker_only_by_its_alias()
    {
        using var client = platform.Gateway(platform.Owner.Key);
        var instance = platform.WorkerServices.GetRequiredService<Orbit.Hosting.OrbitServiceInfo>().InstanceId;

        using var answer = await client.PostAsync($"/v2/models/{platform.Model}/infer", new StringContent(platform.InferBody, Encoding.UTF8, "application/json"));
        var named = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("parameters").GetProperty("worker_id").GetString();
        var fleet = await client.GetStringAsync("/v1/workers");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.NotEqual(instance, named);
        Assert.StartsWith("worker-", named);
        Assert.Contains(named!, fleet);
        Assert.DoesNotContain(instance, fleet);
    }
}
