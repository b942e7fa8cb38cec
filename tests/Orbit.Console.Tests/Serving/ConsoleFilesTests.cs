using System.Net;
using Orbit.Console.Tests.Support;

namespace Orbit.Console.Tests.Serving;

[Collection(ConsoleCollection.Name)]
public sealed class ConsoleFilesTests(ConsoleStack stack)
{
    [Fact]
    public async Task The_console_is_static_files_under_ui_that_may_load_nothing_from_elsewhere()
    {
        using var anonymous = stack.Client(null);
        using var index = await anonymous.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("app.js", await index.Content.ReadAsStringAsync());

        using var script = await anonymous.GetAsync("/ui/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.DoesNotContain("https://", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/ui/..%2F..%2Fappsettings.json")).StatusCode);
        // Outside /ui nothing is static: the gateway asks for a key as it always did.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/app.js")).StatusCode);
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.GatewayUrl };
        using var redirect = await bare.GetAsync("/ui");
        Assert.Equal(("/ui/", HttpStatusCode.Redirect), (redirect.Headers.Location?.ToString(), redirect.StatusCode));
    }
}
