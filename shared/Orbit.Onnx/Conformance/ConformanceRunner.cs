namespace Orbit.Onnx.Conformance;

/// <summary>Runs ONNX backend-test folders through the binding and compares the outputs.</summary>
public static class ConformanceRunner
{
    /// <summary>Each path is either one case (holds model.onnx) or a folder of cases.</summary>
    public static IReadOnlyList<string> FindCases(IEnumerable<string> paths)
    {
        var cases = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(Path.Combine(path, ConformanceCase.ModelFile)))
            {
                cases.Add(path);
            }
            else if (Directory.Exists(path))
            {
                cases.AddRange(Directory.GetDirectories(path)
                    .Where(d => File.Exists(Path.Combine(d, ConformanceCase.ModelFile)))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                throw new DirectoryNotFoundException($"{path} is neither a test case nor a folder of them.");
            }
        }
        return cases;
    }

    public static CaseResult RunCase(string directory, ConformanceOptions? options = null) =>
        new ConformanceCase(directory, options ?? new ConformanceOptions()).Run();

    /// <summary>Runs cases in parallel; results come back in the order given, and to <paramref name="onResult"/> as they finish.</summary>
    public static IReadOnlyList<CaseResult> RunAll(
        IReadOnlyList<string> caseDirectories, ConformanceOptions? options = null, Action<CaseResult>? onResult = null)
    {
        options ??= new ConformanceOptions();
        var results = new CaseResult[caseDirectories.Count];
        Parallel.For(0, caseDirectories.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
        {
            results[i] = RunCase(caseDirectories[i], options);
            onResult?.Invoke(results[i]);
        });
        return results;
    }
}
