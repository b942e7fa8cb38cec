using System.Net.Sockets;

namespace Orbit.Cli.Registry;

/// <summary>Every failure of a registry command as one readable line on stderr.</summary>
internal static class ProblemPrinter
{
    /// <summary><c>orbit: The request is not valid: must be from 0 to 100 (field: candidateWeight)</c></summary>
    public static string Format(Problem problem)
    {
        var line = problem.Title;
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            line += ": " + problem.Detail;
        }

        if (!string.IsNullOrWhiteSpace(problem.Field))
        {
            line += $" (field: {problem.Field})";
        }

        return $"orbit: {line} [{problem.Status}]";
    }

    public static string Unreachable(Uri url, HttpRequestException ex) =>
        ex.HttpRequestError == HttpRequestError.ConnectionError || ex.InnerException is SocketException
            ? $"orbit: cannot reach the registry at {url} (is it running? ./orbit up)"
            : $"orbit: cannot reach the registry at {url}: {ex.Message}";

    public static string TimedOut(Uri url) => $"orbit: the registry at {url} did not answer in time";

    public static string Usage(string commandPath, string message) => $"orbit {commandPath}: {message}";
}
