using System.Text;
using Orbit.Contracts.Drift;
using Orbit.Contracts.Inference;
using Orbit.InferenceWorker.Statistics;
using static Orbit.InferenceWorker.Tests.Statistics.StatisticsTestData;

namespace Orbit.InferenceWorker.Tests.Statistics;

public sealed class VersionWindowTests
{
    private static readonly VersionProfile Profile = VersionProfileBuilder.Build(
        Json("""
            {
              "features": [ { "name": "age", "type": "numeric" }, { "name": "plan", "type": "categorical" }, { "name": "income", "type": "numeric" } ],
              "classes": ["stay", "leave", "pause"],
              "baseline": {
                "features": {
                  "age": { "binEdges": [18, 30, 50], "counts": [1, 2, 3, 4] },
                  "plan": { "frequencies": { "1": 0.6, "2": 0.4 } }
                },
                "predictions": { "frequencies": { "stay": 0.5, "leave": 0.3, "pause": 0.2 } }
              }
            }
            """),
        Signature([Tensor("x", "float", "batch", "3")], Tensor("p", "float", "batch", "3")));

    [Fact]
    public void A_window_counts_each_rows_features_over_the_baseline_and_the_argmax_class_of_its_predictions()
    {
        var window = new VersionWindow(Profile, maxUnseenCategories: 5);
        // Rows: (age, plan code, income).
        window.Add(Rows(Floats("x", [3, 3], 17, 1, 100, 30, 2, 200, float.NaN, 3, 300), Floats("p", [3, 3], 0.1f, 0.8f, 0.1f, 0.7f, 0.2f, 0.1f, 0, 0, 1)));
        window.Add(Rows(Floats("x", [1, 3], 64, 1, 400), Floats("p", [1, 3], 0.2f, 0.3f, 0.5f)));

        var message = window.ToMessage("w-1", "acme", "churn", 3, "worker-1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(10));

        Assert.Equal(4, message.Rows);
        Assert.Null(message.Unmapped);
        Assert.Equal(["age", "plan"], message.Features.Keys.Order());
        var age = message.Features["age"];
        Assert.Equal([1L, 0, 1, 1], age.BinCounts!);
        Assert.Equal(3, age.Count);
        Assert.Equal(1, age.Missing);
        Assert.Equal(17 + 30 + 64, age.Sum);
        var plan = message.Features["plan"];
        Assert.Equal(2, plan.Categories!["1"]);
        Assert.Equal(1, plan.Categories["2"]);
        Assert.Equal(1, plan.Categories["3"]);
        var predictions = message.Predictions!;
        Assert.Equal(FeatureWindow.Categorical, predictions.Kind);
        Assert.Equal(1, predictions.Categories!["stay"]);
        Assert.Equal(1, predictions.Categories["leave"]);
        Assert.Equal(2, predictions.Categories["pause"]);
    }

    [Fact]
    public void Features_given_as_JSON_data_and_BYTES_are_read_from_the_decoded_inputs_as_well_as_raw_floats()
    {
        var profile = VersionProfileBuilder.Build(
            Json("""
                {
                  "features": [ { "name": "age", "type": "numeric" }, { "name": "plan", "type": "categorical" } ],
                  "baseline": { "features": { "age": { "binEdges": [40], "counts": [1, 1] }, "plan": { "frequencies": { "basic": 1 } } } }
                }
                """),
            Signature([Tensor("age", "float", "batch"), Tensor("plan", "string", "batch", "1")], Tensor("score", "float", "batch", "1")));
        var window = new VersionWindow(profile, maxUnseenCategories: 5);
        var age = new InferenceTensor("age", "FP32", [2], Data: Json("[35, 45]"));
        var plan = new InferenceTensor("plan", "BYTES", [2, 1], RawData: Strings("basic", "gold"));

        window.Add(ServedRows.Read(Served([age, plan], []), profile)!);
        var message = window.ToMessage("w", "acme", "churn", 3, "worker", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        Assert.Equal([1L, 1], message.Features["age"].BinCounts!);
        Assert.Equal(1, message.Features["plan"].Categories!["basic"]);
        Assert.Equal(1, message.Features["plan"].Categories!["gold"]);
        Assert.Null(message.Predictions);
    }

    [Fact]
    public void The_statistics_read_the_inputs_the_worker_decoded_and_not_the_requests_tensors_again()
    {
        // A binary request: the bus's binary wire and OIP binary tensor data carry no JSON. The request's own
        // tensor list is left empty here, so only the decoded buffer can give these counts.
        var x = Floats("x", [2, 3], 17, 1, 100, 64, 2, 200);
        var served = Served([x], [Floats("p", [2, 3], 0.1f, 0.8f, 0.1f, 0.7f, 0.2f, 0.1f)]) with
        {
            Request = new InferenceRequested("r-1", "acme", "churn", 3, [], DateTimeOffset.UnixEpoch),
        };
        var window = new VersionWindow(Profile, maxUnseenCategories: 5);

        window.Add(ServedRows.Read(served, Profile)!);
        var message = window.ToMessage("w", "acme", "churn", 3, "worker", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        Assert.Equal(2, message.Rows);
        Assert.Equal([1L, 0, 0, 1], message.Features["age"].BinCounts!);
        Assert.Equal(17 + 64, message.Features["age"].Sum);
        Assert.Equal(1, message.Features["plan"].Categories!["1"]);
        Assert.Equal(1, message.Features["plan"].Categories!["2"]);
        Assert.Equal(1, message.Predictions!.Categories!["leave"]);
        Assert.Equal(1, message.Predictions.Categories["stay"]);
    }

    [Fact]
    public void Integer_and_double_inputs_decoded_from_JSON_are_read_in_their_own_element_type()
    {
        var profile = VersionProfileBuilder.Build(
            Json("""
                {
                  "features": [ { "name": "plan", "type": "categorical" }, { "name": "income", "type": "numeric" } ],
                  "baseline": { "features": { "plan": { "frequencies": { "3": 1 } }, "income": { "binEdges": [1000.5], "counts": [1, 1] } } }
                }
                """),
            Signature([Tensor("plan", "int64", "batch"), Tensor("income", "double", "batch")], Tensor("score", "float", "batch", "1")));
        var served = Served([new InferenceTensor("plan", "INT64", [3], Data: Json("[3, 3, 7]")), new InferenceTensor("income", "FP64", [3], Data: Json("[1000.25, 1000.5, 2e3]"))], []);
        var window = new VersionWindow(profile, maxUnseenCategories: 5);

        window.Add(ServedRows.Read(served, profile)!);
        var message = window.ToMessage("w", "acme", "churn", 3, "worker", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        Assert.Equal(2, message.Features["plan"].Categories!["3"]);
        Assert.Equal(1, message.Features["plan"].Categories!["7"]);
        Assert.Equal([1L, 2], message.Features["income"].BinCounts!);
        Assert.Equal(1000.25 + 1000.5 + 2000, message.Features["income"].Sum);
    }

    [Fact]
    public void A_request_without_the_mapped_input_is_not_readable()
    {
        Assert.Null(ServedRows.Read(Served([Floats("other", [1, 3], 1, 2, 3)], []), Profile));
    }

    [Fact]
    public void A_prediction_log_has_the_features_in_metadata_order_the_output_values_and_the_predicted_class()
    {
        var served = Served([Floats("x", [2, 3], 17, 1, 100, float.NaN, 2, 200)], [Floats("p", [2, 3], 0.1f, 0.8f, 0.1f, 0.7f, 0.2f, 0.1f)],
            new Dictionary<string, string> { ["request_id"] = "client-42", ["log_prediction"] = "true" });

        var log = PredictionLog.Build(served, Profile, ServedRows.Read(served, Profile)!);

        Assert.Equal("client-42", log.RequestId);
        Assert.Equal(served.At, log.At);
        Assert.Equal(["age", "plan", "income"], Profile.FeatureNames);
        Assert.Equal([17.0, 1, 100], log.Rows[0].Features);
        Assert.True(double.IsNaN(log.Rows[1].Features[0]));
        Assert.Equal(0.8f, (float)log.Rows[0].Prediction[1]);
        Assert.Equal("leave", log.Rows[0].Label);
        Assert.Equal("stay", log.Rows[1].Label);
        Assert.True(served.AsksToBeLogged);
    }

    [Fact]
    public void A_binary_classifier_named_by_its_metadata_logs_the_class_its_probability_crosses_the_threshold_to()
    {
        // What ML.NET exports (and the retrainer registers): a label, a raw score and a probability, each [batch, 1].
        var profile = VersionProfileBuilder.Build(
            Json("""
                {
                  "features": [ { "name": "x0", "type": "numeric" } ],
                  "classes": ["0", "1"],
                  "prediction": { "output": "Probability.output", "threshold": 0.5 },
                  "baseline": { "features": { "x0": { "binEdges": [0], "counts": [1, 1] } }, "predictions": { "binEdges": [0.5], "counts": [1, 1] } }
                }
                """),
            Signature([Tensor("Features", "float", "batch", "1")],
                Tensor("PredictedLabel.output", "bool", "batch", "1"), Tensor("Score.output", "float", "batch", "1"), Tensor("Probability.output", "float", "batch", "1")));
        var served = Served([Floats("Features", [3, 1], -1, 1, 2)],
            [Floats("Score.output", [3, 1], -3, 0.2f, 4), Floats("Probability.output", [3, 1], 0.05f, 0.5f, float.NaN)]);

        var rows = ServedRows.Read(served, profile)!;
        var log = PredictionLog.Build(served, profile, rows);
        var window = new VersionWindow(profile, maxUnseenCategories: 5);
        window.Add(rows);

        Assert.Equal("Probability.output", profile.Prediction!.Output);
        Assert.Equal(["0", "1", null], log.Rows.Select(r => r.Label));
        Assert.Equal(0.05f, (float)log.Rows[0].Prediction[0]);
        // Counted over the probability's bin edges, not the score's: [below 0.5, at or above 0.5].
        Assert.Equal([1L, 1], window.ToMessage("w", "acme", "churn", 3, "worker", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch).Predictions!.BinCounts!);
    }

    private static ServedRows Rows(InferenceTensor x, InferenceTensor p) => ServedRows.Read(Served([x], [p]), Profile)!;

    private static byte[] Strings(params string[] values)
    {
        var bytes = new List<byte>();
        foreach (var value in values)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            bytes.AddRange(BitConverter.GetBytes(utf8.Length));
            bytes.AddRange(utf8);
        }

        return [.. bytes];
    }
}
