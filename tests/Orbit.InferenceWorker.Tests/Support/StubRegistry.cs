using System.Net;

namespace Orbit.InferenceWorker.Tests.Support;

/// <summary>An HttpClientFactory whose one handler answers every artifact request with the bytes a test chooses.</summary>
internal sealed class StubRegistry : DelegatingHandler, IHttpClientFactory
{
    private readonly Func<string, byte[]?> _artifact;

    public StubRegistry(Func<string, byte[]?> artifact)
    {
        _artifact = artifact;
        InnerHandler = new HttpClientHandler();
    }

    public List<string> Requests { get; } = [];

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var digest = request.RequestUri!.AbsolutePath["/v1/artifacts/".Length..];
        lock (Requests)
        {
            Requests.Add(digest);
        }

        var bytes = _artifact(digest);
        return Task.FromResult(bytes is null
            ? new HttpResponseMessage(HttpStatusCode.NotFound)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) });
    }
}
