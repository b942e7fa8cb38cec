using System.Globalization;
using System.Text.Json;
using Orbit.Contracts.Registry;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary>How registry values read in a terminal: times in UTC, sizes in binary units, digests shortened.</summary>
internal static class Views
{
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary><c>sha256:0123456789ab</c>: enough to tell versions apart at a glance.</summary>
    public static string ShortDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return digest.Length > colon + 13 ? digest[..(colon + 13)] : digest;
    }

    public static string Version(int? version) => version?.ToString(CultureInfo.InvariantCulture) ?? "-";

    public static string Cell(string? text) => string.IsNullOrEmpty(text) ? "-" : Markup.Escape(text);

    /// <summary>A string field of the version's metadata (<c>datasetVersion</c>, <c>trainingDate</c>), when present.</summary>
    public static string? Metadata(JsonElement metadata, string property) =>
        metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static string Signature(IReadOnlyList<SignatureTensor> tensors) =>
        string.Join(", ", tensors.Select(t => $"{t.Name}: {t.Datatype}[{string.Join(',', t.Shape)}]"));

    public static void WriteDeployment(DeploymentView deployment)
    {
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("[bold]model[/]", Markup.Escape(deployment.Model));
        summary.AddRow("[bold]revision[/]", deployment.Revision.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("[bold]stable[/]", Version(deployment.StableVersion));
        summary.AddRow("[bold]candidate[/]", deployment.CandidateVersion is { } candidate
            ? $"{candidate.ToString(CultureInfo.InvariantCulture)} ({deployment.CandidateWeight.ToString(CultureInfo.InvariantCulture)}%)"
            : "-");
        summary.AddRow("[bold]previous stable[/]", Version(deployment.PreviousStableVersion));
        summary.AddRow("[bold]strategy[/]", Markup.Escape(deployment.Strategy));
        summary.AddRow("[bold]updated[/]", $"{Time(deployment.UpdatedAt)} by {Markup.Escape(deployment.UpdatedBy)}");
        AnsiConsole.Write(summary);

        if (deployment.Routes.Count == 0)
        {
            AnsiConsole.MarkupLine("routes: [yellow]none[/] (the model is not deployed; requests for it are refused)");
            return;
        }

        var routes = new Table().AddColumns("VERSION", "WEIGHT", "DIGEST");
        foreach (var route in deployment.Routes)
        {
            routes.AddRow(route.Version.ToString(CultureInfo.InvariantCulture), $"{route.Weight.ToString(CultureInfo.InvariantCulture)}%", Markup.Escape(ShortDigest(route.Digest)));
        }

        AnsiConsole.Write(routes);
    }
}
