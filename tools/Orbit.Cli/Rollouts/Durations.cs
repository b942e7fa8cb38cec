using System.Globalization;

namespace Orbit.Cli.Rollouts;

/// <summary>Durations as people type them (<c>90s</c>, <c>2m</c>, <c>1h</c>, or plain seconds) and step lists (<c>5,25,50,100</c>).</summary>
internal static class Durations
{
    public static bool TrySeconds(string text, out int seconds)
    {
        seconds = 0;
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        double? total = unit switch
        {
            's' => value,
            'm' => value * 60,
            'h' => value * 3600,
            _ => null,
        };
        if (total is not { } t || t > int.MaxValue)
        {
            return false;
        }

        seconds = (int)Math.Round(t);
        return true;
    }

    public static int Seconds(string text) => TrySeconds(text, out var seconds) ? seconds : throw new FormatException(text);

    public static bool TrySteps(string text, out List<int> steps)
    {
        steps = [];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
            {
                return false;
            }

            steps.Add(step);
        }

        return steps.Count > 0;
    }

    public static List<int> Steps(string text) => TrySteps(text, out var steps) ? steps : throw new FormatException(text);
}
