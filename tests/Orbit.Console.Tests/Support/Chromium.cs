namespace Orbit.Console.Tests.Support;

/// <summary>Debian's chromium (apt package <c>chromium</c>, installed by <c>./orbit deps</c>); a browser is never downloaded.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static bool Available => File.Exists(Path);
}

/// <summary>A browser test: skipped, with the reason shown, where Debian's chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.Available)
        {
            Skip = $"Debian's chromium is not installed ({Chromium.Path}); run `./orbit deps` (installs the apt package chromium).";
        }
    }
}
