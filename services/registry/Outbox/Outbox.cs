using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Orbit.Registry.Outbox;

/// <summary>
/// Events are written to the outbox table in the transaction of the change they announce, and the
/// <see cref="OutboxDispatcher"/> delivers them afterwards: a committed change is always announced,
/// even if the broker or Redis was down at the time, and nothing is announced that did not commit.
/// </summary>
internal static class Outbox
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task EnqueueAsync<T>(DbConnection connection, DbTransaction transaction, T message, long atMs) where T : class =>
        connection.ExecuteAsync(
            "INSERT INTO outbox (message_type, payload, created_at_ms) VALUES (@type, @payload, @atMs)",
            new { type = typeof(T).Name, payload = JsonSerializer.Serialize(message, Json), atMs },
            transaction);
}
