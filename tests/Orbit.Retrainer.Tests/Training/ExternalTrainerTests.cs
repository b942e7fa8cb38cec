using Orbit.Retrainer.Training;

namespace Orbit.Retrainer.Tests.Training;

/// <summary>Real trainer processes: a python3 script, and shell scripts that crash, hang or write garbage.</summary>
public sealed class ExternalTrainerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("orbit-trainer-").FullName;
    private readonly TrainingTable _table = GeneratedData.Classification(300, seed: 11);

    [Fact]
    public async Task A_python_trainer_that_follows_the_contract_gives_a_model_that_serves()
    {
        // The script reads train.csv and schema.json with numpy, and writes a prepared ONNX model and its metrics.
        var prepared = Path.Combine(_root, "prepared.onnx");
        await File.WriteAllBytesAsync(prepared, new MlNetTrainer().Train(_table, Recipe.LogisticRegression).Onnx);
        var script = Script("train.py", $$"""
            #!/usr/bin/python3
            import json, shutil, sys
            import numpy as np
            data_dir, out_dir = sys.argv[1], sys.argv[2]
            schema = json.load(open(data_dir + "/schema.json"))
            table = np.genfromtxt(data_dir + "/train.csv", delimiter=",", names=True)
            assert schema["task"] == "binary-classification" and list(table.dtype.names) == schema["features"] + ["label"]
            print("rows", len(table), "positives", int(table["label"].sum()))
            shutil.copy("{{prepared}}", out_dir + "/model.onnx")
            json.dump({"rows": float(len(table))}, open(out_dir + "/metrics.json", "w"))
            """);

        var model = await Train(script);

        Assert.Equal(300, model.Metrics["rows"]);
        Assert.Equal("external:train.py", model.Trainer);
        OnnxVerifier.Verify(model, _table);
        Assert.StartsWith("rows 300", await File.ReadAllTextAsync(Path.Combine(_root, "work", ExternalTrainer.LogFileName)));
    }

    [Fact]
    public async Task A_trainer_that_crashes_fails_with_its_exit_code_and_the_end_of_its_log()
    {
        var script = Script("crash.sh", "#!/bin/sh\necho 'loading data'\necho 'Traceback: out of memory' >&2\nexit 3\n");

        var error = await Assert.ThrowsAsync<TrainerFailedException>(() => Train(script));

        Assert.Contains("exited with code 3", error.Message);
        Assert.Contains("out of memory", error.Message);
    }

    [Fact]
    public async Task A_trainer_that_hangs_past_its_limit_is_killed_and_fails()
    {
        var script = Script("hang.sh", "#!/bin/sh\necho started\nsleep 600\n");

        var error = await Assert.ThrowsAsync<TrainerFailedException>(() => Train(script, timeoutSeconds: 1));

        Assert.Contains("past its limit of 1 s", error.Message);
    }

    [Fact]
    public async Task A_trainer_that_writes_an_invalid_model_gives_bytes_the_verifier_refuses()
    {
        var script = Script("garbage.sh", "#!/bin/sh\necho 'not a model' > \"$2/model.onnx\"\necho '{\"auc\": 0.9}' > \"$2/metrics.json\"\n");

        var model = await Train(script);

        Assert.Throws<InvalidModelException>(() => OnnxVerifier.Verify(model, _table));
    }

    [Fact]
    public async Task A_trainer_that_writes_no_metrics_fails()
    {
        var script = Script("nometrics.sh", "#!/bin/sh\necho x > \"$2/model.onnx\"\n");

        var error = await Assert.ThrowsAsync<TrainerFailedException>(() => Train(script));

        Assert.Contains("metrics.json", error.Message);
    }

    private Task<TrainedModel> Train(string script, int timeoutSeconds = 60) =>
        new ExternalTrainer(TimeProvider.System).TrainAsync(
            new ExternalTrainerSettings { Command = script, TimeoutSeconds = timeoutSeconds }, _table, Path.Combine(_root, "work"), CancellationToken.None);

    private string Script(string name, string text)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
