using System.Net;
using System.Net.Http.Headers;
using Orbit.Testing;

namespace Orbit.DriftMonitor.Tests.Support;

/// <summary>
/// Relays GET requests from a loopback socket to an in-process test server, so a real service process can call it.
/// The caller's Authorization header goes along.
/// </summary>
internal sealed class HttpRelay : IDisposable
{
    private readonly HttpListener _listener = new();

    public HttpRelay(HttpClient target)
    {
        Url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                _ = RelayAsync(target, context);
            }
        });
    }

    public Uri Url { get; }

    private static async Task RelayAsync(HttpClient target, HttpListenerContext context)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, context.Request.Url!.PathAndQuery);
            if (context.Request.Headers["Authorization"] is { } authorization)
            {
                request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
            }

            using var response = await target.SendAsync(request);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await response.Content.CopyToAsync(context.Response.OutputStream);
        }
        catch (Exception)
        {
            context.Response.StatusCode = 502;
        }
        finally
        {
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
