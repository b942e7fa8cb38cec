using System.Globalization;
using System.Text.Json;
using Orbit.Contracts.Drift;

namespace Orbit.Gateway.Outcomes;

/// <summary>
/// Reads a <c>POST /v1/outcomes</c> body: one object or an array of them, each
/// <c>{requestId, model, row?, label? | value?, observedAt?}</c>. The first problem found is returned with
/// its field (<c>[2].label</c> in an array, <c>label</c> for a single object); the tenant is the caller's.
/// </summary>
internal static class OutcomeReader
{
    private const int MaxIdLength = 200;
    private const int MaxLabelLength = 200;

    public static (List<OutcomeObserved>? Outcomes, string? Field, string? Problem) Read(JsonElement root, string tenantId, DateTimeOffset now, int maxOutcomes)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            var (outcome, field, problem) = ReadOne(root, "", tenantId, now);
            return outcome is null ? (null, field, problem) : ([outcome], null, null);
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            return (null, "body", "must be an outcome object or an array of them");
        }

        var count = root.GetArrayLength();
        if (count == 0 || count > maxOutcomes)
        {
            return (null, "body", $"must hold 1 to {maxOutcomes} outcomes, got {count}");
        }

        var outcomes = new List<OutcomeObserved>(count);
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var (outcome, field, problem) = ReadOne(item, $"[{index}].", tenantId, now);
            if (outcome is null)
            {
                return (null, field, problem);
            }

            outcomes.Add(outcome);
            index++;
        }

        return (outcomes, null, null);
    }

    private static (OutcomeObserved? Outcome, string? Field, string? Problem) ReadOne(JsonElement item, string prefix, string tenantId, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "must be an object");
        }

        foreach (var property in item.EnumerateObject())
        {
            if (property.Name is not ("requestId" or "model" or "row" or "label" or "value" or "observedAt"))
            {
                return (null, prefix + property.Name, "is not a field of an outcome (requestId, model, row, label, value, observedAt)");
            }
        }

        if (!item.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxIdLength } requestId)
        {
            return (null, prefix + "requestId", $"is required: the id of the prediction, a string of 1 to {MaxIdLength} characters");
        }

        if (!item.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String || modelElement.GetString() is not { } model || !ModelName.IsValid(model))
        {
            return (null, prefix + "model", "is required: a model name (letters, digits, '.', '_', '-', at most 100 characters)");
        }

        var row = 0;
        if (item.TryGetProperty("row", out var rowElement) && rowElement.ValueKind != JsonValueKind.Null
            && (rowElement.ValueKind != JsonValueKind.Number || !rowElement.TryGetInt32(out row) || row < 0))
        {
            return (null, prefix + "row", "must be a row index (0 or more)");
        }

        string? label = null;
        if (item.TryGetProperty("label", out var labelElement) && labelElement.ValueKind != JsonValueKind.Null)
        {
            label = labelElement.ValueKind switch
            {
                JsonValueKind.String => labelElement.GetString(),
                JsonValueKind.Number => labelElement.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => labelElement.GetRawText(),
                _ => null,
            };
            if (label is not { Length: > 0 and <= MaxLabelLength })
            {
                return (null, prefix + "label", $"must be a class name of 1 to {MaxLabelLength} characters");
            }
        }

        double? value = null;
        if (item.TryGetProperty("value", out var valueElement) && valueElement.ValueKind != JsonValueKind.Null)
        {
            if (valueElement.ValueKind != JsonValueKind.Number || !valueElement.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                return (null, prefix + "value", "must be a finite number");
            }

            value = number;
        }

        if (label is null == value is null)
        {
            return (null, prefix + "label", "exactly one of label (a classifier's true class) and value (a regressor's true value) is required");
        }

        var observedAt = now;
        if (item.TryGetProperty("observedAt", out var at) && at.ValueKind != JsonValueKind.Null
            && (at.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out observedAt)))
        {
            return (null, prefix + "observedAt", "must be an ISO 8601 date and time");
        }

        return (new OutcomeObserved(requestId, tenantId, model, observedAt, row, label, value), null, null);
    }
}

/// <summary>The registry's rule for model names (they become URL segments, queue names and Redis keys).</summary>
internal static class ModelName
{
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
