using System.Net;

namespace Orbit.Hosting.Security;

public enum KeyCheck
{
    Valid,
    Invalid,

    /// <summary>The service that knows the keys could not be asked: the caller is neither let in nor told the key is bad.</summary>
    Unavailable,

    /// <summary>The client's address has looked up too many unknown keys lately; the key was not looked up.</summary>
    Throttled,
}

/// <summary>What a presented key turned out to be; <see cref="Caller"/> is set when it is valid, <see cref="RetryAfter"/> when throttled.</summary>
public readonly record struct KeyResolution(KeyCheck Check, Caller? Caller, TimeSpan RetryAfter = default)
{
    public static KeyResolution Invalid => new(KeyCheck.Invalid, null);

    public static KeyResolution Unavailable => new(KeyCheck.Unavailable, null);

    public static KeyResolution Valid(Caller caller) => new(KeyCheck.Valid, caller);

    public static KeyResolution Throttled(TimeSpan retryAfter) => new(KeyCheck.Throttled, null, retryAfter);
}

/// <summary>Looks a presented API key up: the registry against its key store, the gateway by asking the registry.</summary>
public interface IApiKeyResolver
{
    /// <param name="client">The address the request came from (null when unknown): lookups of unknown keys are limited per address.</param>
    Task<KeyResolution> ResolveAsync(string key, IPAddress? client, CancellationToken cancellationToken);
}
