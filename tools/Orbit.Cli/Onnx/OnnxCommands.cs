using System.CommandLine;

namespace Orbit.Cli.Onnx;

/// <summary><c>orbit onnx …</c>: run and inspect ONNX models through Orbit.Onnx.</summary>
internal static class OnnxCommands
{
    public static Command Create()
    {
        var onnx = new Command("onnx", "Run and inspect ONNX models through Orbit's ONNX Runtime binding");
        onnx.Subcommands.Add(OnnxCheckCommand.Create());
        onnx.Subcommands.Add(OnnxInfoCommand.Create());
        return onnx;
    }
}
