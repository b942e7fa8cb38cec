namespace Orbit.Registry.Storage;

internal enum SqlEngine
{
    Sqlite,
    Postgres,
}
