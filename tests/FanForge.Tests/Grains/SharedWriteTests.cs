using FanForge.Grains;

namespace FanForge.Tests.Grains;

public sealed class SharedWriteTests
{
    [Fact]
    public async Task Changes_made_while_a_write_is_in_flight_share_the_next_write_and_each_call_waits_for_the_write_covering_it()
    {
        var state = new GatedState();
        var writes = new SharedWrite<Counter>(state);

        state.State.Value = 1;
        var first = writes.PersistAsync();
        Assert.Equal(1, state.Started);

        state.State.Value = 2;
        var second = writes.PersistAsync();
        state.State.Value = 3;
        var third = writes.PersistAsync();
        Assert.Equal(1, state.Started); // queued behind the write in flight, not a write each

        state.Release();
        await first;
        Assert.False(second.IsCompleted); // the first write began before its change
        await WaitUntil(() => state.Started == 2);
        state.Release();
        await Task.WhenAll(second, third);

        Assert.Equal(2, state.Started);
        Assert.Equal([1, 3], state.Written);
        Assert.True(writes.WhenDurableAsync().IsCompleted); // idle: everything is stored
    }

    [Fact]
    public async Task A_repeat_waits_for_a_write_in_flight_that_may_hold_its_first_change()
    {
        var state = new GatedState();
        var writes = new SharedWrite<Counter>(state);
        state.State.Value = 1;
        var first = writes.PersistAsync();

        var repeat = writes.WhenDurableAsync();
        Assert.False(repeat.IsCompleted);
        state.Release();
        await first;
        await WaitUntil(() => state.Started == 2);
        state.Release();
        await repeat;
    }

    [Fact]
    public async Task A_failed_write_fails_every_call_it_covered_and_every_later_call()
    {
        var state = new GatedState();
        var writes = new SharedWrite<Counter>(state);
        state.State.Value = 1;
        var first = writes.PersistAsync();
        state.State.Value = 2;
        var queued = writes.PersistAsync();

        state.Fail(new InvalidOperationException("storage down"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => queued);
        Assert.Equal(1, state.Started); // the queued change was not written on top of a failed one

        // A retry must not find its change in memory and be acknowledged without a write.
        Assert.Throws<InvalidOperationException>(() => { _ = writes.PersistAsync(); });
        Assert.Throws<InvalidOperationException>(() => { _ = writes.WhenDurableAsync(); });
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    public sealed class Counter
    {
        public int Value { get; set; }
    }

    /// <summary>A persistent state whose writes wait until the test releases (or fails) them, recording what each stored.</summary>
    private sealed class GatedState : IPersistentState<Counter>
    {
        private readonly Queue<TaskCompletionSource> gates = new();
        private readonly object sync = new();

        public Counter State { get; set; } = new();

        public string? Etag => null;

        public bool RecordExists => true;

        public int Started { get; private set; }

        public List<int> Written { get; } = [];

        public void Release() => NextGate().SetResult();

        public void Fail(Exception error) => NextGate().SetException(error);

        public async Task WriteStateAsync()
        {
            var value = State.Value; // serialized when the write starts, as the storage providers do
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (sync)
            {
                Started++;
                gates.Enqueue(gate);
            }

            await gate.Task;
            lock (sync)
            {
                Written.Add(value);
            }
        }

        public Task ClearStateAsync() => throw new NotSupportedException();

        public Task ReadStateAsync() => throw new NotSupportedException();

        private TaskCompletionSource NextGate()
        {
            lock (sync)
            {
                return gates.Dequeue();
            }
        }
    }
}
