namespace Orbit.Hosting.Errors;

/// <summary>
/// Thrown by a consumer for a message that can never succeed (a missing or invalid field). It
/// is not retried: the message goes straight to the endpoint's error queue with this reason.
/// </summary>
public sealed class MessageValidationException(string field, string reason)
    : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;
}
