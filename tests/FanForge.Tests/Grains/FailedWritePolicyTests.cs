using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FanForge.Tests.Grains;

/// <summary>
/// The silo's failed-write policy on a real in-memory cluster: a grain whose write failed forgets the change that was
/// never stored, whether the write ran in a call or in a timer, and works again once storage does.
/// </summary>
public sealed class FailedWritePolicyTests : IAsyncLifetime
{
    private readonly SwitchableStorage.Switch storageDown = new();
    private InProcessTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddFanForgeGrainServices().AddInMemoryProviders();
            silo.AddMemoryGrainStorage("policy-probe-inner");
            silo.Services.AddSingleton(storageDown);
            silo.Services.AddKeyedSingleton<IGrainStorage>(FailingProbeGrain.Storage, (sp, _) => new SwitchableStorage(
                sp.GetRequiredKeyedService<IGrainStorage>("policy-probe-inner"), sp.GetRequiredService<SwitchableStorage.Switch>()));
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_change_whose_write_failed_is_gone_on_the_next_call_and_a_retry_stores_it()
    {
        var probe = cluster.Client.GetGrain<IFailingProbe>("in-a-call");
        await probe.SetAsync(1);

        storageDown.On = true;
        await Assert.ThrowsAnyAsync<Exception>(() => probe.SetAsync(2));
        storageDown.On = false;

        Assert.Equal(1, await probe.GetAsync());
        await probe.SetAsync(2);
        Assert.Equal(2, await probe.GetAsync());
    }

    [Fact]
    public async Task A_write_that_failed_in_a_timer_drops_the_change_too()
    {
        var probe = cluster.Client.GetGrain<IFailingProbe>("in-a-timer");
        await probe.SetAsync(1);

        storageDown.On = true;
        var attempts = storageDown.FailedWrites;
        await probe.SetLaterAsync(5);
        // The timer's write fails once (it is one-shot); its change must not survive it.
        await ClusterHosts.EventuallyAsync(() => Task.FromResult(storageDown.FailedWrites), n => n > attempts, TimeSpan.FromSeconds(10), "the timer's write to fail");
        storageDown.On = false;

        Assert.Equal(1, await probe.GetAsync());
    }
}

[Alias("ff.test.IFailingProbe")]
public interface IFailingProbe : IGrainWithStringKey
{
    [Alias("Set")]
    Task SetAsync(int value);

    [Alias("SetLater")]
    Task SetLaterAsync(int value);

    [Alias("Get")]
    Task<int> GetAsync();
}

[GenerateSerializer, Alias("ff.test.FailingProbeState")]
public sealed class FailingProbeState
{
    [Id(0)] public int Value { get; set; }
}

[GrainType("ff.test.failing-probe")]
public sealed class FailingProbeGrain([PersistentState("probe", FailingProbeGrain.Storage)] IPersistentState<FailingProbeState> state)
    : Grain, IFailingProbe
{
    public const string Storage = "policy-probe";

    public async Task SetAsync(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task SetLaterAsync(int value)
    {
        this.RegisterGrainTimer(async () =>
        {
            state.State.Value = value;
            await state.WriteStateAsync();
        }, new GrainTimerCreationOptions { DueTime = TimeSpan.FromMilliseconds(10), Period = Timeout.InfiniteTimeSpan });
        return Task.CompletedTask;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);
}

/// <summary>Grain storage that fails writes while its switch is on, as a database that went away would.</summary>
internal sealed class SwitchableStorage(IGrainStorage inner, SwitchableStorage.Switch down) : IGrainStorage
{
    public sealed class Switch
    {
        private int failedWrites;

        public volatile bool On;

        public int FailedWrites => Volatile.Read(ref failedWrites);

        public void CountFailure() => Interlocked.Increment(ref failedWrites);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (down.On)
        {
            down.CountFailure();
            throw new TimeoutException("storage is down");
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
