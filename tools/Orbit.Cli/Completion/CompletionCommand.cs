using System.CommandLine;

namespace Orbit.Cli.Completion;

/// <summary><c>orbit completion bash</c>: prints the bash completion script for every command and option.</summary>
internal static class CompletionCommand
{
    public static Command Create(RootCommand root, TextWriter? output = null)
    {
        var bash = new Command("bash", "Print the bash completion script: source <(./orbit completion bash)");
        bash.SetAction(_ => (output ?? Console.Out).Write(BashCompletion.Generate(root, BashCompletion.ScriptCommands)));
        var completion = new Command("completion", "Shell completion for orbit's commands and options") { bash };
        return completion;
    }
}
