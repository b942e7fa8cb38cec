using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Contracts.Registry;
using Orbit.Hardening.Tests.Support;

namespace Orbit.Hardening.Tests.Probes;

/// <summary>
/// Every endpoint of the gateway and of the registry, found from their route tables (so an endpoint
/// added later is probed too), called with another tenant's admin key and the owner's identifiers in
/// every route value: no answer may reveal the owner's model, digest, tenant or key, none may be a
/// 5xx, and afterwards the owner's model, deployment and key are exactly as they were.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CrossTenantProbeTests(Platform platform)
{
    [Fact]
    public async Task Another_tenants_key_learns_and_changes_nothing_of_this_tenant_on_any_endpoint()
    {
        using var owner = platform.Registry(platform.Owner.Key);
        var modelBefore = await owner.GetStringAsync($"/v1/models/{platform.Model}");
        var deploymentBefore = await owner.GetStringAsync($"/v1/models/{platform.Model}/deployment");
        // Names are per tenant (the prober may make a model of the same name), so the secrets are what is the owner's alone.
        var secrets = new[] { platform.Owner.Id, platform.Version.Digest, platform.Owner.KeyId };

        var probes = Probes(platform.RegistryServices, "registry").Concat(Probes(platform.GatewayServices, "gateway")).ToList();
        var leaks = new List<string>();
        foreach (var (service, method, path) in probes)
        {
            using var client = service == "registry" ? platform.Registry(platform.Other.Key) : platform.Gateway(platform.Other.Key);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Body(method, path) };
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                leaks.Add($"{service} {method} {path}: {(int)response.StatusCode} {text}");
            }
            // A refusal may echo what the request itself named; an answer may not, and nothing may name more.
            else if (secrets.FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal)
                && (response.IsSuccessStatusCode || !path.Contains(s, StringComparison.Ordinal))) is { } leaked)
            {
                leaks.Add($"{service} {method} {path}: {(int)response.StatusCode} reveals '{leaked}': {text[..Math.Min(300, text.Length)]}");
            }
        }

        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
        Assert.Equal(modelBefore, await owner.GetStringAsync($"/v1/models/{platform.Model}"));
        Assert.Equal(deploymentBefore, await owner.GetStringAsync($"/v1/models/{platform.Model}/deployment"));
        Assert.True((await owner.GetAsync("/v1/auth/whoami")).IsSuccessStatusCode, "the owner's key stopped working");
        Assert.True(probes.Count >= 20, $"only {probes.Count} endpoints were found to probe");
        Console.WriteLine($"probes: {probes.Count} endpoint calls with another tenant's key, 0 leaks");
    }

    private IEnumerable<(string Service, string Method, string Path)> Probes(IServiceProvider services, string service)
    {
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            if (pattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue; // the gateway's forwarders: the registry's own endpoints are probed through the same paths
            }

            if (pattern.RawText is { } raw && (raw.StartsWith("/metrics", StringComparison.Ordinal) || raw.StartsWith("/health", StringComparison.Ordinal)))
            {
                continue; // the operator's endpoints: not behind API keys but behind loopback or the scrape token (tested on their own)
            }

            var path = "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Value(parameter.Name),
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                yield return (service, method, path);
                if (service == "registry")
                {
                    yield return ("gateway", method, path);
                }
            }
        }
    }

    private string Value(string parameter) => parameter switch
    {
        "model" or "name" => platform.Model,
        "version" => platform.Version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "digest" => platform.Version.Digest,
        "tenant" or "tenantId" => platform.Owner.Id,
        "id" or "keyId" => platform.Owner.KeyId,
        _ => "1",
    };

    private static HttpContent? Body(string method, string path)
    {
        if (method is "GET" or "DELETE" or "HEAD")
        {
            return null;
        }

        if (path.EndsWith("/versions", StringComparison.Ordinal))
        {
            // An upload under the same name makes a model of the prober's own tenant, never a version of the owner's
            // (other bytes, so its digest is not the owner's).
            var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(Platform.ReluModel)), "file", "model.onnx" } };
            return form;
        }

        if (path.EndsWith("/deployment", StringComparison.Ordinal))
        {
            return JsonContent.Create(new SetDeployment(1));
        }

        return new StringContent(path.Contains("/infer", StringComparison.Ordinal)
            ? """{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}]}"""
            : "{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
    }
}
