namespace Orbit.Contracts.Registry;

/// <summary>One page of a list. Pass <see cref="NextCursor"/> as <c>?cursor=</c> for the next; null means the end.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
