using System.Collections.Frozen;
using Orbit.Onnx.Sessions;
using SessionOptions = Orbit.Onnx.Sessions.SessionOptions;

namespace Orbit.Inference.Baseline;

/// <summary>The sessions this app serves, by model name; each is loaded once at start with the worker's session settings.</summary>
internal sealed class ServedModels(FrozenDictionary<string, OnnxSession> sessions)
{
    public OnnxSession? Find(string name) => sessions.GetValueOrDefault(name);

    public static ServedModels Load(string[] args)
    {
        // The inference worker's defaults: one intra-op thread, one inter-op thread, all graph optimizations.
        var options = new SessionOptions { IntraOpThreads = 1, InterOpThreads = 1 };
        var sessions = new Dictionary<string, OnnxSession>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--model" && args[i + 1].Split('=', 2) is [var name, var file])
            {
                sessions[name] = OnnxSession.FromFile(file, options);
            }
        }
        return sessions.Count > 0 ? new(sessions.ToFrozenDictionary()) : throw new ArgumentException("give at least one --model NAME=FILE.onnx");
    }
}
