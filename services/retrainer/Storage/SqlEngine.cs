namespace Orbit.Retrainer.Storage;

internal enum SqlEngine
{
    Sqlite,
    Postgres,
}
