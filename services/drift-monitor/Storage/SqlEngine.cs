namespace Orbit.DriftMonitor.Storage;

internal enum SqlEngine
{
    Sqlite,
    Postgres,
}
