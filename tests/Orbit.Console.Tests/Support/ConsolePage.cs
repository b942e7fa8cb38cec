using Microsoft.Playwright;

namespace Orbit.Console.Tests.Support;

/// <summary>A browser tab on the console, logged in with one key; screenshots go under the test output.</summary>
public sealed class ConsolePage(IBrowserContext context, IPage page, Uri gateway) : IAsyncDisposable
{
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public IPage Page => page;

    /// <summary>Uncaught script errors and console errors, so a failure names what broke in the page.</summary>
    public List<string> ScriptErrors { get; } = [];

    public static async Task<ConsolePage> LogInAsync(ConsoleStack stack, string key)
    {
        var context = await stack.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        var console = new ConsolePage(context, page, stack.GatewayUrl);
        page.PageError += (_, error) => console.ScriptErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                console.ScriptErrors.Add(message.Text);
            }
        };
        await page.GotoAsync(new Uri(stack.GatewayUrl, "/ui/").ToString());
        await page.GetByTestId("api-key").FillAsync(key);
        await page.GetByTestId("login").ClickAsync();
        await page.GetByTestId("whoami").WaitForAsync();
        return console;
    }

    public async Task OpenAsync(string hash)
    {
        await page.GotoAsync(new Uri(gateway, "/ui/" + hash).ToString());
        await page.GetByTestId("whoami").WaitForAsync();
    }

    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
