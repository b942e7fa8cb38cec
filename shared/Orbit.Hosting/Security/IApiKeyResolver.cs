namespace Orbit.Hosting.Security;

public enum KeyCheck
{
    Valid,
    Invalid,

    /// <summary>The service that knows the keys could not be asked: the caller is neither let in nor told the key is bad.</summary>
    Unavailable,
}

/// <summary>What a presented key turned out to be; <see cref="Caller"/> is set when it is valid.</summary>
public readonly record struct KeyResolution(KeyCheck Check, Caller? Caller)
{
    public static KeyResolution Invalid => new(KeyCheck.Invalid, null);

    public static KeyResolution Unavailable => new(KeyCheck.Unavailable, null);

    public static KeyResolution Valid(Caller caller) => new(KeyCheck.Valid, caller);
}

/// <summary>Looks a presented API key up: the registry against its key store, the gateway by asking the registry.</summary>
public interface IApiKeyResolver
{
    Task<KeyResolution> ResolveAsync(string key, CancellationToken cancellationToken);
}
