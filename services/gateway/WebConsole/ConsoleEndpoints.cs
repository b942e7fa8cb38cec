using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Orbit.Gateway.WebConsole;

/// <summary>
/// The web console: static files from <c>wwwroot/ui</c> (built from <c>services/console-ui</c>), served by
/// routed endpoints under <c>/ui</c> only. No static-files middleware, so the inference routes (<c>/v2</c>)
/// pass through nothing new. The pages call the existing APIs with the key the user logs in with; nothing
/// here needs a key, and the Content-Security-Policy keeps the browser from fetching anything elsewhere.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Prefix = "/ui";

    private const string Policy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapConsole(this IEndpointRouteBuilder app)
    {
        var files = app.ServiceProvider.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        app.MapGet(Prefix + "/{**path}", (string? path, HttpContext context) => Serve(files, path, context)).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult Serve(IFileProvider files, string? path, HttpContext context)
    {
        // The route matches /ui as well; the page's relative asset paths need the trailing slash.
        if (context.Request.Path.Value is Prefix)
        {
            return TypedResults.Redirect(Prefix + "/");
        }

        var relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        var file = files.GetFileInfo("ui/" + relative);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || !ContentTypes.TryGetContentType(relative, out var contentType))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        // Revalidated on every load (ETag, Last-Modified), so a new build is picked up at once.
        headers.CacheControl = "no-cache";
        var etag = new EntityTagHeaderValue($"\"{file.LastModified.ToUnixTimeMilliseconds():x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: etag);
    }
}
