using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orbit.Onnx.Sessions;
using Orbit.Registry.Models;
using Orbit.Registry.Tests.Support;
using Orbit.Testing;

namespace Orbit.Registry.Tests.Models;

/// <summary>The check process is real: the registry's own executable, or programs that crash and hang for real.</summary>
public sealed class IsolatedModelInspectorTests : IDisposable
{
    private static readonly SessionOptions Cpu = ServingSessions.Options("cpu", 1);
    private readonly string _dir = Directory.CreateTempSubdirectory("orbit-inspect-").FullName;

    [Fact]
    public async Task A_model_is_loaded_in_a_child_process_and_its_signature_comes_back()
    {
        var inspection = await new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance)
            .InspectAsync(File(TestModels.Add), Cpu, CancellationToken.None);

        Assert.Null(inspection.Error);
        Assert.Equal(["x", "y"], inspection.Signature!.Inputs.Select(i => i.Name));
        Assert.Equal("cpu", inspection.Signature.Provider);
    }

    [Fact]
    public async Task Bytes_that_are_no_model_come_back_with_ONNX_Runtimes_message()
    {
        var inspection = await new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance)
            .InspectAsync(File("not a model"u8.ToArray()), Cpu, CancellationToken.None);

        Assert.Null(inspection.Signature);
        Assert.Contains("protobuf", inspection.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_check_process_that_dies_by_a_signal_is_a_refusal_naming_the_signal()
    {
        var inspector = new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance) { StartInfo = () => Shell("cat >/dev/null; kill -SEGV $$") };

        var inspection = await inspector.InspectAsync(File(TestModels.Add), Cpu, CancellationToken.None);

        Assert.Null(inspection.Signature);
        Assert.Equal("ONNX Runtime crashed while loading it (the check process ended with signal 11)", inspection.Error);
    }

    [Fact]
    public async Task A_check_process_that_exits_without_an_answer_is_a_refusal_naming_its_exit_code()
    {
        var inspector = new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance) { StartInfo = () => Shell("exit 134") };

        var inspection = await inspector.InspectAsync(File(TestModels.Add), Cpu, CancellationToken.None);

        Assert.Contains("signal 6", inspection.Error);
    }

    [Fact]
    public async Task Cancelling_a_hung_check_kills_its_process()
    {
        var pidFile = Path.Combine(_dir, "pid");
        var inspector = new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance) { StartInfo = () => Shell($"echo $$ > {pidFile}; exec sleep 600") };
        using var cancel = new CancellationTokenSource();

        var check = inspector.InspectAsync(File(TestModels.Add), Cpu, cancel.Token);
        var pidText = await Eventually.GetAsync(() => Task.FromResult(System.IO.File.Exists(pidFile) && System.IO.File.ReadAllText(pidFile).EndsWith('\n') ? System.IO.File.ReadAllText(pidFile) : null), TimeSpan.FromSeconds(30), "the check process to start");
        var pid = int.Parse(pidText, System.Globalization.CultureInfo.InvariantCulture);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
        await Eventually.GetAsync(() => Task.FromResult(Exited(pid) ? "gone" : null), TimeSpan.FromSeconds(30), "the killed check process to be gone");
    }

    [Fact]
    public async Task An_upload_whose_check_crashes_is_a_422_on_file_and_the_registry_keeps_serving()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var crashing = new IsolatedModelInspector(NullLogger<IsolatedModelInspector>.Instance) { StartInfo = () => Shell("cat >/dev/null; kill -SEGV $$") };
        await using var factory = new HostWith(store.Settings(), crashing);
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", RegistryClient.AdminKey);
        var admin = new RegistryClient(http);

        using var refused = await admin.UploadAsync(TestModels.UniqueName(), TestModels.Add);

        var (status, field, body) = await RegistryClient.ProblemAsync(refused);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("file", field);
        Assert.Contains("signal 11", body);
        Assert.Empty(Directory.EnumerateFiles(store.ObjectsDirectory, "*", SearchOption.AllDirectories));
        using var health = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(byte[] bytes)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".onnx");
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ProcessStartInfo Shell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return info;
    }

    private static bool Exited(int pid)
    {
        try
        {
            return Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
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
