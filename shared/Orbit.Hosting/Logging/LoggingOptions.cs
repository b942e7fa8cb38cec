using System.ComponentModel.DataAnnotations;

namespace Orbit.Hosting.Logging;

public sealed class LoggingOptions
{
    public const string Section = "Orbit:Logging";

    /// <summary><c>plain</c> or <c>json</c>; empty means plain in Development and JSON elsewhere.</summary>
    [RegularExpression("^(|plain|json)$", ErrorMessage = "must be 'plain' or 'json'")]
    public string Format { get; set; } = "";

    /// <summary>Minimum level: Verbose, Debug, Information, Warning, Error or Fatal.</summary>
    [RegularExpression("^(Verbose|Debug|Information|Warning|Error|Fatal)$", ErrorMessage = "must be Verbose, Debug, Information, Warning, Error or Fatal")]
    public string Level { get; set; } = "Information";
}
