using Orbit.Onnx.Conformance;
using Xunit.Abstractions;

namespace Orbit.Onnx.Tests.Conformance;

public sealed class BackendConformanceTests(ITestOutputHelper output)
{
    [ConformanceFact]
    public void Every_backend_node_case_passes_unless_it_is_a_listed_known_failure()
    {
        var known = KnownFailures.Load(ConformanceTestData.KnownFailuresPath);
        var cases = ConformanceRunner.FindCases([ConformanceTestData.NodeDirectory]);

        var results = ConformanceRunner.RunAll(cases, new ConformanceOptions { Parallelism = 2, IntraOpThreads = 1 });

        var allTensor = results.Where(r => r.AllTensors).ToArray();
        var passed = allTensor.Count(r => r.Outcome == CaseOutcome.Passed);
        output.WriteLine($"{results.Count(r => r.Outcome == CaseOutcome.Passed)} passed, " +
            $"{results.Count(r => r.Outcome == CaseOutcome.Failed)} failed, " +
            $"{results.Count(r => r.Outcome == CaseOutcome.Unsupported)} unsupported; " +
            $"{passed} of {allTensor.Length} all-tensor cases pass");
        var regressions = results.Where(r => r.Outcome != CaseOutcome.Passed && !known.ContainsKey(r.Name)).ToArray();
        var nowPassing = results.Where(r => r.Outcome == CaseOutcome.Passed && known.ContainsKey(r.Name)).ToArray();
        var vanished = known.Keys.Except(results.Select(r => r.Name)).Order().ToArray();
        foreach (var r in regressions)
        {
            output.WriteLine($"{r.Name}  {r.Outcome.ToString().ToLowerInvariant()}: {r.Detail}");
        }

        Assert.True(regressions.Length == 0,
            "Cases that fail and are not in known-failures.txt:\n" + string.Join("\n", regressions.Select(r => $"{r.Name}  {r.Detail}")));
        Assert.True(nowPassing.Length == 0,
            "Cases listed in known-failures.txt that now pass (remove them):\n" + string.Join("\n", nowPassing.Select(r => r.Name)));
        Assert.True(vanished.Length == 0, "Listed cases not found in the test data:\n" + string.Join("\n", vanished));
        Assert.True(passed >= 0.95 * allTensor.Length, $"Only {passed} of {allTensor.Length} all-tensor cases pass; at least 95% must.");
    }
}
