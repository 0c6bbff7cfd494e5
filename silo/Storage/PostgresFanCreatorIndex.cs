using System.Threading.Channels;
using FanForge.Grains.Loyalty;
using Npgsql;
using NpgsqlTypes;

namespace FanForge.Silo.Storage;

/// <summary>
/// <see cref="IFanCreatorIndex"/> on the <c>fanforge_fan_creators</c> table (deploy/sql/0006): one row per fan and
/// creator, inserted by the pairs and memberships of this silo in batches.
/// </summary>
/// <remarks>
/// Why batches: every new fan–creator pair adds a row, and at ingestion rates one round trip and commit per row would
/// cost as much as the pair's own write. A single loop takes whatever is queued (up to <see cref="MaxBatchSize"/>) and
/// sends it as one idempotent insert; rows arriving meanwhile form the next one, so a lone insert waits for nobody. An
/// insert is acknowledged only after its batch committed; if the batch fails, each of its callers sees the failure and
/// retries with its own payment's redelivery (the insert is idempotent).
/// </remarks>
public sealed class PostgresFanCreatorIndex : IFanCreatorIndex, IAsyncDisposable
{
    internal const int MaxBatchSize = 1000;

    private const string InsertSql = """
        INSERT INTO fanforge_fan_creators (serviceid, fan, creator)
        SELECT $1, f, c FROM unnest($2::text[], $3::text[]) AS t(f, c)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectSql = "SELECT creator FROM fanforge_fan_creators WHERE serviceid = $1 AND fan = $2";

    private readonly NpgsqlDataSource dataSource;
    private readonly string serviceId;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task inserter;
    private long batches;

    public PostgresFanCreatorIndex(NpgsqlDataSource dataSource, ClusterSettings settings)
    {
        this.dataSource = dataSource;
        serviceId = settings.ServiceId;
        inserter = Task.Run(InsertLoopAsync);
    }

    /// <summary>Round trips that inserted rows so far (for tests: compare with the rows added).</summary>
    public long Batches => Interlocked.Read(ref batches);

    public async Task AddAsync(string fan, string creator)
    {
        var pending = new Pending(fan, creator);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresFanCreatorIndex), "The fan index is shut down.");
        }

        await pending.Completion.Task;
    }

    public async Task<IReadOnlyList<string>> CreatorsAsync(string fan)
    {
        await using var command = dataSource.CreateCommand(SelectSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = fan, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync();
        var creators = new List<string>();
        while (await reader.ReadAsync())
        {
            creators.Add(reader.GetString(0));
        }

        return creators;
    }

    /// <summary>Stops taking inserts and finishes the queued ones.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await inserter;
    }

    private async Task InsertLoopAsync()
    {
        var batch = new List<Pending>(MaxBatchSize);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatchSize && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await InsertAsync(batch);
                Interlocked.Increment(ref batches);
                batch.ForEach(p => p.Completion.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Completion.TrySetException(e));
            }

            batch.Clear();
        }
    }

    private async Task InsertAsync(List<Pending> batch)
    {
        await using var command = dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Fan).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(p => p.Creator).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Pending(string Fan, string Creator)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
