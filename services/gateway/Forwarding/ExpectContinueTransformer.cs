using Yarp.ReverseProxy.Forwarder;

namespace Orbit.Gateway.Forwarding;

/// <summary>
/// Asks the registry <c>Expect: 100-continue</c> before a large body, as curl does: the registry can
/// then refuse (413 over its limit, 401, 403) before the body is sent, and that answer reaches the
/// client. Without it the registry's early answer closes the connection mid-body, which the forwarder
/// can only report as a 502.
/// </summary>
internal sealed class ExpectContinueTransformer : HttpTransformer
{
    // curl's threshold: below it the extra round trip costs more than sending the body would.
    private const long Threshold = 1024 * 1024;

    public static readonly ExpectContinueTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (proxyRequest.Content is not null && httpContext.Request.ContentLength is null or > Threshold)
        {
            proxyRequest.Headers.ExpectContinue = true;
        }
    }
}
