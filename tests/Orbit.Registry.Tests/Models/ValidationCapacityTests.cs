using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orbit.Registry.Models;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;

namespace Orbit.Registry.Tests.Models;

public sealed class ValidationCapacityTests
{
    [Fact]
    public async Task An_upload_while_every_validation_slot_is_taken_is_503_with_Retry_After_and_stores_nothing()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var inspector = new BlockingInspector();
        var settings = store.Settings();
        settings["Orbit:Registry:Validation:MaxConcurrent"] = "1";
        settings["Orbit:Registry:Validation:MaxQueued"] = "0";
        settings["Orbit:Registry:Validation:RetryAfterSeconds"] = "7";
        await using var factory = new HostWith(settings, inspector);
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RegistryClient.AdminKey);
        var admin = new RegistryClient(http);
        var model = TestModels.UniqueName();

        var first = admin.UploadAsync(model, TestModels.Add);
        await Eventually.GetAsync(() => Task.FromResult(inspector.Started == 1 ? "started" : null), TimeSpan.FromSeconds(30), "the first upload's load to start");
        using var second = await admin.UploadAsync(model, TestModels.Relu);

        var (status, _, body) = await RegistryClient.ProblemAsync(second);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(7), second.Headers.RetryAfter?.Delta);
        Assert.Contains("Orbit:Registry:Validation", body);
        inspector.Release();
        using var accepted = await first;
        await RegistryClient.ExpectAsync(accepted, HttpStatusCode.Created);
        Assert.Single(Directory.EnumerateFiles(store.ObjectsDirectory, "*", SearchOption.AllDirectories));
    }

    private sealed class HostWith(Dictionary<string, string?> settings, IModelInspector inspector) : OrbitServiceFactory<Program>(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(inspector));
        }
    }
}
