using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orbit.Hosting.Configuration;

/// <summary>
/// Validates an options object's data annotations and reports each failure with the full
/// configuration key (<c>Orbit:RabbitMq:Url</c>) and the environment variable that sets it.
/// </summary>
internal sealed class SectionOptionsValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        var failures = results.Select(r =>
        {
            var member = r.MemberNames.FirstOrDefault();
            var key = member is null ? section : $"{section}:{member}";
            return $"{key} (environment {key.Replace(":", "__", StringComparison.Ordinal)}): {r.ErrorMessage}";
        });
        return ValidateOptionsResult.Fail(failures);
    }
}
