namespace Orbit.Hosting.Errors;

/// <summary>
/// Thrown when a request cannot be served because a backing store (Redis, the database) is
/// unreachable: the exception handler answers 503 with <see cref="Exception.Message"/>, which must
/// therefore be fit for clients, and <c>Retry-After</c>.
/// </summary>
public sealed class DependencyUnavailableException(string clientMessage, Exception? inner = null) : Exception(clientMessage, inner);
