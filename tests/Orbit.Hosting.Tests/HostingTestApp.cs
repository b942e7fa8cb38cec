using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Testing;

namespace Orbit.Hosting.Tests;

/// <summary>A minimal service built only from Orbit.Hosting's defaults, on a test server.</summary>
internal static class HostingTestApp
{
    public static WebApplication Build(
        IDictionary<string, string?>? settings = null,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        var merged = TestInfrastructure.ServiceSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(merged);
        builder.AddOrbitDefaults("hosting-test", configureBus);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseOrbitDefaults();
        map?.Invoke(app);
        return app;
    }

    public static async Task<WebApplication> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var app = Build(settings, configureBus, map, services);
        await app.StartAsync();
        return app;
    }
}
