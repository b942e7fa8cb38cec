using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orbit.Testing;

/// <summary>
/// Starts a real service host in process against the real RabbitMQ and Redis, with extra
/// settings layered over the defaults.
/// </summary>
public class OrbitServiceFactory<TProgram>(IDictionary<string, string?>? settings = null) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(services => services.AddLoopbackTestCaller());
        builder.ConfigureAppConfiguration((_, configuration) =>
        {
            var merged = TestInfrastructure.ServiceSettings();
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                merged[key] = value;
            }

            configuration.AddInMemoryCollection(merged);
        });
    }
}
