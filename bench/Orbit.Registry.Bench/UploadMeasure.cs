using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Orbit.Onnx.Sessions;

namespace Orbit.Registry.Bench;

/// <summary>Seconds for each step of one run; the upload is checked to have stored exactly the file's bytes.</summary>
internal sealed record UploadSample(long Bytes, double Cp, double Sync, double Upload, double Sha256, double OrtLoad)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cp {Cp:F3} s, sync {Sync:F3} s, upload {Upload:F3} s ({Bytes / 1e6 / Upload:F0} MB/s), sha256 {Sha256:F3} s, ORT load {OrtLoad:F3} s");
}

internal sealed class UploadMeasure(HttpClient http, string work)
{
    private const int BufferSize = 1 << 20;

    // What the registry validates an upload with (Orbit:Registry:Validation defaults): the workers' serving settings.
    private static readonly SessionOptions InspectOptions = ServingSessions.Options("cpu", 1);

    /// <summary>cp, then sync of the copy, then the upload, then the upload's parts alone: one after another, never overlapping.</summary>
    public async Task<UploadSample> RunAsync(string source)
    {
        var bytes = new FileInfo(source).Length;
        var copy = Path.Combine(work, "copy.onnx");
        var cp = Time(() => Run("cp", source, copy));
        var sync = Time(() => Run("sync", copy));
        File.Delete(copy);

        var watch = Stopwatch.StartNew();
        var digest = await UploadAsync(source);
        var upload = watch.Elapsed.TotalSeconds;

        string? hex = null;
        var sha256 = Time(() =>
        {
            using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
            hex = Convert.ToHexStringLower(SHA256.HashData(file));
        });
        if (digest != "sha256:" + hex)
        {
            throw new InvalidOperationException($"The registry stored {digest}; the file is sha256:{hex}.");
        }

        var ortLoad = Time(() =>
        {
            using var session = OnnxSession.FromFile(source, InspectOptions);
        });
        return new UploadSample(bytes, cp, sync, upload, sha256, ortLoad);
    }

    private async Task<string> UploadAsync(string source)
    {
        // Streamed from disk: MultipartFormDataContent sends a Content-Length, StreamContent reads the file in 1 MiB chunks.
        await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        using var form = new MultipartFormDataContent();
        var part = new StreamContent(file, BufferSize);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", "model.onnx");
        using var response = await http.PostAsync("/v1/models/upload-bench/versions", form);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Upload answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("digest").GetString()!;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }
}
