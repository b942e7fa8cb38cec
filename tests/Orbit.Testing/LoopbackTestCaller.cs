using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Orbit.Testing;

/// <summary>
/// The test server leaves a request's remote address empty; its client is in this process, so this
/// gives it the loopback address it would have over a socket (the /metrics guard refuses an empty one).
/// A test that sets an address of its own keeps it.
/// </summary>
public sealed class LoopbackTestCaller : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}

public static class LoopbackTestCallerRegistration
{
    public static IServiceCollection AddLoopbackTestCaller(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, LoopbackTestCaller>();
}
