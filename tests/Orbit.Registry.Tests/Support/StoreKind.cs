namespace Orbit.Registry.Tests.Support;

public enum StoreKind
{
    Sqlite,
    Postgres,
}
