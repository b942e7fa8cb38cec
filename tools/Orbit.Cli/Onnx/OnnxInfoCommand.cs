using System.CommandLine;
using Orbit.Onnx;
using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;

namespace Orbit.Cli.Onnx;

/// <summary><c>orbit onnx info model.onnx</c>: inputs, outputs, opsets and the provider it would run on.</summary>
internal static class OnnxInfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to an .onnx file" };
        var providers = new Option<string[]>("--provider")
        {
            Description = "Execution providers in order of preference",
            DefaultValueFactory = _ => ["cuda:0", "cpu"],
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("info", "Show a model's inputs, outputs, opset and the execution provider it would run on");
        command.Arguments.Add(model);
        command.Options.Add(providers);
        command.SetAction(parseResult => Run(parseResult.GetValue(model)!, parseResult.GetValue(providers) ?? ["cpu"]));
        return command;
    }

    private static int Run(string path, string[] providers)
    {
        try
        {
            var summary = ModelSummaryReader.ReadFile(path);
            using var session = OnnxSession.FromFile(path, new SessionOptions { ExecutionProviders = providers });
            Console.WriteLine($"model     {Path.GetFullPath(path)}");
            Console.WriteLine($"producer  {Blank(summary.ProducerName)} {summary.ProducerVersion}".TrimEnd());
            Console.WriteLine($"ir        {summary.IrVersion}");
            Console.WriteLine($"opset     {string.Join(", ", summary.Opsets)}");
            Console.WriteLine($"provider  {session.ExecutionProvider} (asked for {string.Join(", ", providers)})");
            if (session.ProviderFallbackReason is { } reason)
            {
                Console.WriteLine($"fallback  {reason}");
            }
            Print("inputs", session.Inputs);
            Print("outputs", session.Outputs);
            return 0;
        }
        catch (Exception e) when (e is IOException or OnnxRuntimeException or OnnxRuntimeNotFoundException
            or Google.Protobuf.InvalidProtocolBufferException or ArgumentException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    private static void Print(string title, IReadOnlyList<TensorMetadata> values)
    {
        Console.WriteLine(title);
        var width = values.Count == 0 ? 0 : values.Max(v => v.Name.Length);
        foreach (var value in values)
        {
            Console.WriteLine($"  {value.Name.PadRight(width)}  {value}");
        }
    }

    private static string Blank(string text) => text.Length == 0 ? "(unknown)" : text;
}
