using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Gateway.Auth;
using Orbit.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace Orbit.Gateway.Tests.Auth;

public sealed class UnknownKeyFloodTests(GatewayStack stack, ITestOutputHelper output) : IClassFixture<GatewayStack>
{
    private const int LookupsPerSecond = 5;
    private const int LookupBurst = 10;

    [Fact]
    public async Task A_flood_of_random_keys_reaches_the_registry_a_bounded_number_of_times_and_a_valid_caller_still_answers()
    {
        var lookups = new RegistryCallCounter();
        await using var gateway = Gateway(lookups);
        var valid = await stack.TenantKeyAsync("viewer");
        using var caller = Client(gateway, valid);
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/v2")).StatusCode);
        var before = lookups.Count;

        var started = Stopwatch.GetTimestamp();
        var statuses = new List<HttpStatusCode>();
        for (var wave = 0; wave < 6; wave++)
        {
            var flood = Enumerable.Range(0, 50).Select(async _ =>
            {
                using var attacker = Client(gateway, "orb_" + Guid.NewGuid().ToString("N"));
                return (await attacker.GetAsync("/v2")).StatusCode;
            });
            var during = caller.GetAsync("/v2");
            statuses.AddRange(await Task.WhenAll(flood));
            Assert.Equal(HttpStatusCode.OK, (await during).StatusCode);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var reached = lookups.Count - before;
        var ceiling = LookupBurst + (LookupsPerSecond * elapsed.TotalSeconds);
        output.WriteLine($"{statuses.Count} random keys in {elapsed.TotalMilliseconds:0} ms: {reached} reached the registry "
            + $"(ceiling {ceiling:0.0}); {statuses.Count(s => s == HttpStatusCode.Unauthorized)} answered 401, {statuses.Count(s => s == HttpStatusCode.TooManyRequests)} 429");
        Assert.True(reached <= ceiling, $"{reached} lookups reached the registry; at most {ceiling:0.0} may");
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/v2")).StatusCode);
    }

    /// <summary>Every 401 is an answer the registry gave (to the gateway's lookup or to a forwarded call); 429s never reached it.</summary>
    [Fact]
    public async Task A_flood_of_random_keys_on_the_forwarded_registry_API_is_stopped_at_the_gateway()
    {
        var lookups = new RegistryCallCounter();
        await using var gateway = Gateway(lookups);

        var started = Stopwatch.GetTimestamp();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var attacker = Client(gateway, "orb_" + Guid.NewGuid().ToString("N"));
            return (await attacker.GetAsync("/v1/models")).StatusCode;
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);

        var answeredByRegistry = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        var ceiling = LookupBurst + (LookupsPerSecond * elapsed.TotalSeconds);
        output.WriteLine($"200 random keys on /v1/models in {elapsed.TotalMilliseconds:0} ms: {answeredByRegistry} answered 401 (ceiling {ceiling:0.0}), the rest 429");
        Assert.True(answeredByRegistry <= ceiling, $"{answeredByRegistry} random keys reached the registry; at most {ceiling:0.0} may");
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public async Task An_unknown_key_is_looked_up_once_and_then_remembered_as_unknown()
    {
        var lookups = new RegistryCallCounter();
        await using var gateway = Gateway(lookups);
        using var client = Client(gateway, "orb_" + Guid.NewGuid().ToString("N"));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v2")).StatusCode);
        }

        Assert.Equal(1, lookups.Count);
    }

    /// <summary>
    /// A busy valid key whose cache entry has just expired: the requests that miss together share one
    /// lookup. Found by the soak: each used to take a token of the unknown-key limit, so a valid key's
    /// own burst was refused 429 "too many unknown keys".
    /// </summary>
    [Fact]
    public async Task Concurrent_requests_of_a_valid_key_whose_cache_entry_expired_share_one_lookup_and_none_is_refused()
    {
        var lookups = new RegistryCallCounter();
        await using var gateway = Gateway(lookups, keyCacheSeconds: 0);
        var valid = await stack.TenantKeyAsync("viewer");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            using var caller = Client(gateway, valid);
            return (await caller.GetAsync("/v2")).StatusCode;
        }));

        output.WriteLine($"60 concurrent requests of one valid key, no key cache: {lookups.Count} lookups reached the registry");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(lookups.Count < 60, $"{lookups.Count} lookups for 60 requests of one key");
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Gateway(RegistryCallCounter lookups, int keyCacheSeconds = 5) => stack.AnotherGateway(
        new Dictionary<string, string?>
        {
            ["Orbit:Gateway:UnknownKeyLookupsPerSecond"] = LookupsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orbit:Gateway:UnknownKeyLookupBurst"] = LookupBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orbit:Gateway:KeyCacheSeconds"] = keyCacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        services => services.AddHttpClient(KeyValidator.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(lookups)));

    private static HttpClient Client(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> gateway, string key)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private sealed class RegistryCallCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHandler(RegistryCallCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
