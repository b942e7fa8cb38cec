namespace Orbit.Contracts.Drift;

/// <summary>
/// One served request's features and predictions, published on the <c>orbit.predictions</c> stream for
/// requests that ask for it (<c>parameters.log_prediction</c>) or are sampled. The accuracy join and the
/// retrainer read it: the features exactly as served, so training and serving cannot skew.
/// </summary>
/// <param name="FeatureNames">The feature names, in the order of each row's <see cref="LoggedRow.Features"/>.</param>
public sealed record PredictionLogged(
    string RequestId,
    string TenantId,
    string ModelName,
    int ModelVersion,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<LoggedRow> Rows,
    DateTimeOffset At);

/// <summary>
/// One row of a logged request. <see cref="Features"/> are numbers (NaN for missing); <see cref="Prediction"/>
/// is the primary output's values for the row; <see cref="Label"/> the predicted class name for a classifier.
/// </summary>
public sealed record LoggedRow(IReadOnlyList<double> Features, IReadOnlyList<double> Prediction, string? Label = null);
