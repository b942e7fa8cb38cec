namespace Orbit.Storage;

public enum SqlEngine
{
    Sqlite,
    Postgres,
}
