using Dapper;
using Microsoft.Extensions.Options;
using Orbit.Hosting;
using Orbit.Hosting.Security;
using Orbit.Registry.Audit;
using Orbit.Registry.Storage;

namespace Orbit.Registry.Auth;

/// <summary>
/// On the very first start (no tenant yet) creates the platform tenant <c>admin</c> and its admin
/// key: the configured one (<c>ORBIT_ADMIN_KEY</c>), or a generated one written to a mode-600 file.
/// The key itself is never logged.
/// </summary>
internal sealed partial class AdminBootstrap(
    RegistryDatabase database,
    IOptions<RegistryOptions> options,
    OrbitServiceInfo service,
    TimeProvider time,
    ILogger<AdminBootstrap> logger)
{
    private static readonly Caller Bootstrap = new("bootstrap", Caller.PlatformTenant, Role.Admin);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenants", transaction: transaction) > 0)
        {
            return;
        }

        var configured = options.Value.AdminKey;
        var key = string.IsNullOrWhiteSpace(configured) ? ApiKeys.Generate() : configured.Trim();
        if (key.Length < AdminKeyRule.MinLength)
        {
            throw new InvalidOperationException($"Orbit:Registry:AdminKey (environment ORBIT_ADMIN_KEY) must be at least {AdminKeyRule.MinLength} characters.");
        }

        var id = ApiKeys.NewId();
        await connection.ExecuteAsync("INSERT INTO tenants (id, display_name, created_at_ms) VALUES (@id, 'Platform administrators', @now)",
            new { id = Caller.PlatformTenant, now }, transaction);
        await KeyStore.InsertAsync(connection, transaction, id, Caller.PlatformTenant, Role.Admin, key, "created on first start", now, Bootstrap.Actor);
        await AuditLog.AppendAsync(connection, transaction, Bootstrap, now, Caller.PlatformTenant, "key.created", $"keys/{id}", null, null,
            new { keyId = id, tenantId = Caller.PlatformTenant, role = "admin" });
        string? file = null;
        if (string.IsNullOrWhiteSpace(configured))
        {
            file = Path.Combine(service.DataDirectory, options.Value.AdminKeyFile);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var stream = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Created private, never readable by others even for a moment.
                stream.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var writer = new StreamWriter(file, stream))
            {
                await writer.WriteLineAsync(key.AsMemory(), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        LogCreated(logger, id, file ?? "the configured Orbit:Registry:AdminKey (ORBIT_ADMIN_KEY)");
    }

    [LoggerMessage(EventId = RegistryLogEvents.Created, Level = LogLevel.Warning, Message = "First start: created tenant 'admin' with admin key {KeyId}; the key is in {Where}")]
    private static partial void LogCreated(ILogger logger, string keyId, string where);
}
