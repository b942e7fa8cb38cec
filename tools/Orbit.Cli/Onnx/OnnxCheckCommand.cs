using System.CommandLine;
using Orbit.Onnx;
using Orbit.Onnx.Conformance;

namespace Orbit.Cli.Onnx;

/// <summary><c>orbit onnx check DIR…</c>: runs ONNX backend-test folders and compares outputs.</summary>
internal static class OnnxCheckCommand
{
    public static Command Create()
    {
        var dirs = new Argument<string[]>("dirs")
        {
            Description = "A test case (model.onnx + test_data_set_N/) or a folder of them",
            Arity = ArgumentArity.OneOrMore,
        };
        var parallel = new Option<int>("--parallel") { Description = "Cases run at once", DefaultValueFactory = _ => 2 };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference (cuda:0, cpu)",
            DefaultValueFactory = _ => ["cpu"],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("check", "Run ONNX backend-test cases through the binding: pass, fail or unsupported per case");
        command.Arguments.Add(dirs);
        command.Options.Add(parallel);
        command.Options.Add(providers);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(dirs) ?? [],
            new ConformanceOptions { Parallelism = parseResult.GetValue(parallel), ExecutionProviders = parseResult.GetValue(providers) ?? ["cpu"] }));
        return command;
    }

    private static int Run(string[] dirs, ConformanceOptions options)
    {
        IReadOnlyList<string> cases;
        try
        {
            cases = ConformanceRunner.FindCases(dirs);
            OnnxRuntime.EnsureStarted();
        }
        catch (Exception e) when (e is DirectoryNotFoundException or OnnxRuntimeNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        if (cases.Count == 0)
        {
            Console.Error.WriteLine($"No test cases (folders with model.onnx) under {string.Join(", ", dirs)}.");
            return 2;
        }
        var results = ConformanceRunner.RunAll(cases, options);
        foreach (var result in results)
        {
            Console.WriteLine(result);
        }
        var failed = results.Count(r => r.Outcome == CaseOutcome.Failed);
        Console.WriteLine($"{results.Count(r => r.Outcome == CaseOutcome.Passed)} passed, {failed} failed, " +
            $"{results.Count(r => r.Outcome == CaseOutcome.Unsupported)} unsupported");
        return failed == 0 ? 0 : 1;
    }
}
