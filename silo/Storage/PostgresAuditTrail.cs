using System.Data.Common;
using System.Net.Sockets;
using System.Text;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using FanForge.Grains.Audit;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FanForge.Silo.Storage;

/// <summary>
/// <see cref="IAuditTrail"/> on the <c>fanforge_audit</c> table (deploy/sql/0007): one row per entry, unique per
/// (service, key), never updated nor deleted (a trigger refuses both). Written by the API process that served the
/// change, co-hosted or client, through its own data source.
/// </summary>
/// <remarks>
/// Database trouble leaves as <see cref="InfrastructureUnavailableException"/> (logged here with the original), so the
/// request that made the change answers 503 and its retry records the entry.
/// </remarks>
public sealed partial class PostgresAuditTrail(NpgsqlDataSource dataSource, ClusterSettings settings, ILogger<PostgresAuditTrail> logger) : IAuditTrail
{
    private const string Columns = "id, entry_key, at, kind, actor, actor_role, wallet, subject, changes::text, request_id, client_address";

    private const string InsertSql = $"""
        INSERT INTO fanforge_audit (serviceid, entry_key, at, kind, actor, actor_role, wallet, subject, changes, request_id, client_address)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)
        ON CONFLICT (serviceid, entry_key) DO NOTHING
        RETURNING {Columns}
        """;

    // A separate statement, so it sees a row that a concurrent append of the same key committed while the insert waited.
    private const string SelectByKeySql = $"SELECT {Columns} FROM fanforge_audit WHERE serviceid = $1 AND entry_key = $2";

    private readonly string serviceId = settings.ServiceId;

    public async Task<AuditEntry> AppendAsync(AuditRecord record)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using (var insert = new NpgsqlCommand(InsertSql, connection))
            {
                insert.Parameters.Add(Text(serviceId));
                insert.Parameters.Add(Text(record.Key));
                insert.Parameters.Add(new NpgsqlParameter { Value = record.At.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                insert.Parameters.Add(Text(record.Kind));
                insert.Parameters.Add(Text(record.Actor));
                insert.Parameters.Add(Text(record.ActorRole));
                insert.Parameters.Add(Text(record.Wallet));
                insert.Parameters.Add(Text(record.Subject));
                insert.Parameters.Add(Text(record.Changes));
                insert.Parameters.Add(Text(record.RequestId));
                insert.Parameters.Add(Text(record.ClientAddress));
                if (await ReadOneAsync(insert) is { } appended)
                {
                    return appended;
                }
            }

            await using var select = new NpgsqlCommand(SelectByKeySql, connection);
            select.Parameters.Add(Text(serviceId));
            select.Parameters.Add(Text(record.Key));
            return await ReadOneAsync(select) ?? throw new InvalidOperationException($"Audit entry {record.Key} neither inserted nor found.");
        }
        catch (Exception e) when (IsInfrastructure(e))
        {
            throw Unavailable(e, "append");
        }
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM fanforge_audit WHERE serviceid = $1");
        var parameters = new List<NpgsqlParameter> { Text(serviceId) };
        string Next(NpgsqlParameter parameter)
        {
            parameters.Add(parameter);
            return "$" + parameters.Count;
        }

        // Only the filters asked for: each shape of the query gets a plan that uses its index.
        if (query.Wallet is { } wallet)
        {
            var p = Next(Text(wallet));
            sql.Append($" AND (wallet = {p} OR actor = {p})");
        }

        if (query.Kind is { } kind)
        {
            sql.Append($" AND kind = {Next(Text(kind))}");
        }

        if (query.From is { } from)
        {
            sql.Append($" AND at >= {Next(Time(from))}");
        }

        if (query.To is { } to)
        {
            sql.Append($" AND at < {Next(Time(to))}");
        }

        if (query.After is { } after)
        {
            sql.Append($" AND (at, id) < ({Next(Time(after.At))}, {Next(new NpgsqlParameter { Value = after.Id, NpgsqlDbType = NpgsqlDbType.Bigint })})");
        }

        sql.Append($" ORDER BY at DESC, id DESC LIMIT {Next(new NpgsqlParameter { Value = query.Limit + 1, NpgsqlDbType = NpgsqlDbType.Integer })}");
        try
        {
            await using var command = dataSource.CreateCommand(sql.ToString());
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync())
            {
                entries.Add(Read(reader));
            }

            return AuditPages.Of(entries, query.Limit);
        }
        catch (Exception e) when (IsInfrastructure(e))
        {
            throw Unavailable(e, "query");
        }
    }

    private static async Task<AuditEntry?> ReadOneAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    private static AuditEntry Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        new AuditRecord(
            reader.GetString(1),
            reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetString(4),
            reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7),
            reader.GetString(8),
            reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetString(10)));

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static bool IsInfrastructure(Exception e) => e is DbException or SocketException or TimeoutException or IOException;

    private InfrastructureUnavailableException Unavailable(Exception e, string operation)
    {
        LogUnavailable(logger, e, operation);
        return new InfrastructureUnavailableException(e.GetType().FullName ?? e.GetType().Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit trail {Operation} failed: the database is unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation);
}
