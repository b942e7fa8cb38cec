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

    /// <summary>
    /// "Cannot reach" only when no connection was made; a request that failed once connected (the
    /// server closed it mid-upload, answered something that is not HTTP) says so, with every cause.
    /// </summary>
    public static string Unreachable(Uri url, HttpRequestException ex)
    {
        if (ex.StatusCode is { } status)
        {
            return $"orbit: the server at {url} answered HTTP {(int)status} {status}: {Causes(ex)}";
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                => $"orbit: cannot reach the registry at {url} (is it running? ./orbit up): {Causes(ex)}\n{NextStep.Line("./orbit up, or orbit health to see which services answer")}",
            _ => $"orbit: the request to {url} failed after the connection was made (the server may have closed it without an answer): {Causes(ex)}",
        };
    }

    private static string Causes(Exception ex)
    {
        var messages = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (!messages.Contains(e.Message, StringComparer.Ordinal))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" <- ", messages);
    }

    public static string TimedOut(Uri url) => $"orbit: the registry at {url} did not answer in time\n{NextStep.Line("orbit health (which service or dependency is slow)")}";

    public static string Usage(string commandPath, string message) => $"orbit {commandPath}: {message}";
}
