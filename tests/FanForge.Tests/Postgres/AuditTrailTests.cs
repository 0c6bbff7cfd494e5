using System.Text.Json.Nodes;
using FanForge.GrainInterfaces.Audit;
using FanForge.GrainInterfaces.Errors;
using FanForge.Silo;
using FanForge.Silo.Storage;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FanForge.Tests.Postgres;

/// <summary>
/// The audit trail on PostgreSQL (deploy/sql/0007): one row per key however often or concurrently it is appended,
/// newest-first keyset pages with the filters, rows that nobody can change or remove, and database trouble reported as
/// the infrastructure failure the API answers with 503.
/// </summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class AuditTrailTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static PostgresAuditTrail Trail(NpgsqlDataSource dataSource, string serviceId = "audit-tests") =>
        new(dataSource, new ClusterSettings { ServiceId = serviceId }, NullLogger<PostgresAuditTrail>.Instance);

    private static AuditRecord Record(string key, DateTimeOffset at, string kind = AuditKinds.ProductUpdated, string actor = "ACTOR", string? wallet = "CREATOR") =>
        new(key, kind, at, actor, "creator", wallet, $"subject:{key}", """{"price_micro": {"before": 1, "after": 2}}""", $"req-{key}", "203.0.113.7");

    [PostgresFact]
    public async Task A_key_is_stored_once_and_every_append_of_it_answers_the_first_entry()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateMigratedDatabaseAsync());
        var trail = Trail(dataSource);

        var first = await trail.AppendAsync(Record("product:1@1", T0));
        var again = await trail.AppendAsync(Record("product:1@1", T0.AddMinutes(5), actor: "SOMEONE-ELSE") with { RequestId = "req-retry" });
        // The same key appended by many requests at once (retries racing each other): one row, one answer.
        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => trail.AppendAsync(Record("product:2@1", T0.AddSeconds(i)))));

        Assert.Equal(first, again);
        Assert.Equal(("ACTOR", "req-product:1@1", T0), (again.Record.Actor, again.Record.RequestId, again.Record.At));
        Assert.Single(racing.Select(e => e.Id).Distinct());
        Assert.Equal(2, await CountAsync(dataSource, "SELECT count(*) FROM fanforge_audit"));
        Assert.Equal(first, Assert.Single((await trail.QueryAsync(new AuditQuery(null, null, null, null, null, 10))).Entries, e => e.Id == first.Id));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Record("x", T0).Changes), JsonNode.Parse(first.Record.Changes)), first.Record.Changes);
    }

    [PostgresFact]
    public async Task Pages_run_newest_first_through_ties_and_filters_select_by_wallet_kind_and_time()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateMigratedDatabaseAsync());
        var trail = Trail(dataSource);
        // 30 entries, three to a minute (ties on the time are ordered by id), alternating kinds and wallets.
        var appended = new List<AuditEntry>();
        for (var i = 0; i < 30; i++)
        {
            appended.Add(await trail.AppendAsync(Record(
                $"k{i}", T0.AddMinutes(i / 3), i % 2 == 0 ? AuditKinds.PricingChanged : AuditKinds.ProductCreated,
                actor: i % 5 == 0 ? "ADMIN" : $"CREATOR-{i % 3}", wallet: $"CREATOR-{i % 3}")));
        }

        // Another service on the same database sees none of them, nor they its.
        await Trail(dataSource, "another-service").AppendAsync(Record("k0", T0));

        var newestFirst = appended.OrderByDescending(e => e.Record.At).ThenByDescending(e => e.Id).ToList();
        Assert.Equal(newestFirst.Select(e => e.Id), await AllPagesAsync(trail, new AuditQuery(null, null, null, null, null, 7)));

        Assert.Equal(
            newestFirst.Where(e => e.Record.Wallet == "CREATOR-1" || e.Record.Actor == "CREATOR-1").Select(e => e.Id),
            await AllPagesAsync(trail, new AuditQuery("CREATOR-1", null, null, null, null, 4)));
        Assert.Equal(
            newestFirst.Where(e => e.Record.Actor == "ADMIN").Select(e => e.Id),
            await AllPagesAsync(trail, new AuditQuery("ADMIN", null, null, null, null, 4)));
        Assert.Equal(
            newestFirst.Where(e => e.Record.Kind == AuditKinds.PricingChanged).Select(e => e.Id),
            await AllPagesAsync(trail, new AuditQuery(null, AuditKinds.PricingChanged, null, null, null, 4)));
        // From inclusive, to exclusive: minutes 2, 3 and 4.
        Assert.Equal(
            newestFirst.Where(e => e.Record.At >= T0.AddMinutes(2) && e.Record.At < T0.AddMinutes(5)).Select(e => e.Id),
            await AllPagesAsync(trail, new AuditQuery(null, null, T0.AddMinutes(2), T0.AddMinutes(5), null, 2)));
        Assert.Equal(
            newestFirst.Where(e => e.Record.Kind == AuditKinds.ProductCreated && e.Record.Wallet == "CREATOR-2" && e.Record.At < T0.AddMinutes(6)).Select(e => e.Id),
            await AllPagesAsync(trail, new AuditQuery("CREATOR-2", AuditKinds.ProductCreated, null, T0.AddMinutes(6), null, 3)));
        Assert.Null((await trail.QueryAsync(new AuditQuery(null, null, null, null, null, 30))).Next);
    }

    [PostgresFact]
    public async Task Rows_cannot_be_updated_deleted_or_truncated_by_anyone()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateMigratedDatabaseAsync());
        var entry = await Trail(dataSource).AppendAsync(Record("product:9@1", T0));

        // The connection is the database's superuser, who owns the table: the triggers refuse even the owner.
        foreach (var sql in new[]
        {
            $"UPDATE fanforge_audit SET actor = 'FORGED' WHERE id = {entry.Id}",
            $"DELETE FROM fanforge_audit WHERE id = {entry.Id}",
            "TRUNCATE fanforge_audit",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(entry, Assert.Single((await Trail(dataSource).QueryAsync(new AuditQuery(null, null, null, null, null, 10))).Entries));
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_as_infrastructure_trouble()
    {
        await using var dataSource = NpgsqlDataSource.Create(
            $"Host=127.0.0.1;Port={PostgresServer.FreeTcpPort()};Username=nobody;Password=x;Timeout=2;Pooling=false");
        var trail = Trail(dataSource);

        await Assert.ThrowsAsync<InfrastructureUnavailableException>(() => trail.AppendAsync(Record("k", T0)));
        await Assert.ThrowsAsync<InfrastructureUnavailableException>(() => trail.QueryAsync(new AuditQuery(null, null, null, null, null, 10)));
    }

    private static async Task<List<long>> AllPagesAsync(IAuditTrail trail, AuditQuery query)
    {
        var ids = new List<long>();
        for (var page = await trail.QueryAsync(query); ; page = await trail.QueryAsync(query with { After = page.Next }))
        {
            Assert.InRange(page.Entries.Count, 1, query.Limit);
            ids.AddRange(page.Entries.Select(e => e.Id));
            if (page.Next is null)
            {
                return ids;
            }

            Assert.Equal(query.Limit, page.Entries.Count);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
