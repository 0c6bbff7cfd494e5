using System.Collections.Concurrent;
using FanForge.Grains;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace FanForge.Tests.Grains;

/// <summary>
/// <see cref="ReminderSlot"/> against Orleans' reminder service with a table that counts its calls: an activation that
/// armed a reminder disarms it without reading the table, and disarming twice touches the table once.
/// </summary>
public sealed class ReminderSlotTests : IAsyncLifetime
{
    private readonly CountingReminderTable.Counts counts = new();
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TestClusters.StartAsync(1, new AlgorandSettings(), services =>
    {
        services.AddSingleton(counts);
        // Wrap whichever table the in-memory reminder service registered.
        var inner = services.Last(d => d.ServiceType == typeof(IReminderTable));
        services.Remove(inner);
        services.AddSingleton<IReminderTable>(sp => new CountingReminderTable(
            (IReminderTable)(inner.ImplementationInstance ?? inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)),
            sp.GetRequiredService<CountingReminderTable.Counts>()));
    });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Disarming_what_this_activation_armed_reads_nothing_and_a_second_disarm_touches_nothing()
    {
        var probe = cluster.Client.GetGrain<IReminderSlotProbe>("armed-here");
        await probe.ArmAsync();
        var before = counts.Snapshot();

        await probe.DisarmAsync();
        var afterFirst = counts.Snapshot();
        await probe.DisarmAsync();

        Assert.Equal(0, afterFirst.Reads - before.Reads);
        Assert.Equal(1, afterFirst.Removes - before.Removes);
        Assert.Equal(afterFirst, counts.Snapshot());
        Assert.False(await probe.IsRegisteredAsync());
    }

    [Fact]
    public async Task A_fresh_activation_asks_the_table_once_and_removes_the_reminder_an_earlier_one_armed()
    {
        var probe = cluster.Client.GetGrain<IReminderSlotProbe>("armed-before");
        await probe.ArmAsync();
        // The next call waits for this deactivation and reaches a new activation, which knows nothing of the reminder.
        await probe.DeactivateAsync();
        var before = counts.Snapshot();

        await probe.DisarmAsync();

        var after = counts.Snapshot();
        Assert.Equal((1, 1), (after.Reads - before.Reads, after.Removes - before.Removes));
        Assert.False(await probe.IsRegisteredAsync());
    }

    [Fact]
    public async Task Arming_again_after_a_disarm_registers_and_the_next_disarm_removes_it()
    {
        var probe = cluster.Client.GetGrain<IReminderSlotProbe>("re-armed");
        await probe.ArmAsync();
        await probe.DisarmAsync();
        await probe.ArmAsync();
        Assert.True(await probe.IsRegisteredAsync());

        await probe.DisarmAsync();

        Assert.False(await probe.IsRegisteredAsync());
    }
}

[Alias("ff.test.IReminderSlotProbe")]
public interface IReminderSlotProbe : IGrainWithStringKey
{
    [Alias("Arm")]
    Task ArmAsync();

    [Alias("Disarm")]
    Task DisarmAsync();

    [Alias("IsRegistered")]
    Task<bool> IsRegisteredAsync();

    [Alias("Deactivate")]
    Task DeactivateAsync();
}

[GrainType("ff.test.reminder-slot-probe")]
public sealed class ReminderSlotProbeGrain : Grain, IReminderSlotProbe, IRemindable
{
    private ReminderSlot? slot;

    private ReminderSlot Slot => slot ??= new(this, "slot-probe");

    public Task ArmAsync() => Slot.ArmAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

    public Task DisarmAsync() => Slot.DisarmAsync();

    public async Task<bool> IsRegisteredAsync() => await this.GetReminder("slot-probe") is not null;

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}

/// <summary>A reminder table that counts row reads and removals on the way to the real one.</summary>
internal sealed class CountingReminderTable(IReminderTable inner, CountingReminderTable.Counts counts) : IReminderTable
{
    public sealed class Counts
    {
        private readonly ConcurrentDictionary<string, int> calls = new();

        public void Add(string call) => calls.AddOrUpdate(call, 1, (_, n) => n + 1);

        public (int Reads, int Removes) Snapshot() => (calls.GetValueOrDefault("read"), calls.GetValueOrDefault("remove"));
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        counts.Add("read");
        return inner.ReadRows(grainId);
    }

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        counts.Add("read");
        return inner.ReadRow(grainId, reminderName);
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => inner.UpsertRow(entry);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        counts.Add("remove");
        return inner.RemoveRow(grainId, reminderName, eTag);
    }

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}
