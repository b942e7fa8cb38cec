using System.Collections.Concurrent;

namespace Orbit.Hardening.Tests.Fuzz;

/// <summary>What each fuzz run answered, printed with the test output so the figures in docs/reliability.md can be checked.</summary>
internal static class FuzzFigures
{
    public static void Record(string what, int inputs, IReadOnlyDictionary<int, int> statuses) =>
        Console.WriteLine($"fuzz: {what}: {inputs} inputs; answers " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
}
