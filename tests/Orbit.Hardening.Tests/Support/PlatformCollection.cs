namespace Orbit.Hardening.Tests.Support;

/// <summary>One platform for every class of this suite: starting a registry, a gateway and a worker per class cost minutes on 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>
{
    public const string Name = "platform";
}
