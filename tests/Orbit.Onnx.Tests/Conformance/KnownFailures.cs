namespace Orbit.Onnx.Tests.Conformance;

/// <summary>known-failures.txt: one <c>case-name  reason</c> per line; # starts a comment.</summary>
internal static class KnownFailures
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var split = line.IndexOfAny([' ', '\t']);
            var name = split < 0 ? line : line[..split];
            var reason = split < 0 ? "" : line[split..].Trim();
            if (reason.Length == 0)
            {
                throw new InvalidDataException($"{path}: '{name}' needs a reason.");
            }
            entries.Add(name, reason);
        }
        return entries;
    }
}
