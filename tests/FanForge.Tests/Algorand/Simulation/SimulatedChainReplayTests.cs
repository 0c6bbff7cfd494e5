using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Simulation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using static FanForge.Tests.Algorand.Simulation.ChainHarness;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>
/// The durable simulated ledger's log: every accepted change as an entry that, replayed in order on the same genesis,
/// rebuilds the same chain (rounds, offsets, times, txids, ids, balances) without reading the clock.
/// </summary>
public sealed class SimulatedChainReplayTests
{
    private readonly ChainHarness harness = new();
    private readonly List<LedgerEntry> log = [];

    private SimulatedChain Chain => harness.Chain;

    /// <summary>Keeps the entry of the change just made, as the ledger grain appends it.</summary>
    private T Logged<T>(T result)
    {
        if (Chain.LastAccepted is { } entry && (log.Count == 0 || !ReferenceEquals(log[^1], entry)))
        {
            log.Add(entry);
        }

        return result;
    }

    /// <summary>
    /// Funds, an app, tips in the frontend's far-ahead window, reads that seal rounds between submissions, empty
    /// rounds, a refused submission, the clock moving between all of them, and an open round left unsealed.
    /// </summary>
    private (Ed25519TransactionSigner Creator, Ed25519TransactionSigner Fan, ulong AppId) BuildHistory()
    {
        var (creator, fan) = (NewSigner(), NewSigner());
        Accepted(Logged(Chain.Fund(creator.Address, 10 * Algo)));
        Accepted(Logged(Chain.Fund(fan.Address, 20 * Algo)));
        harness.Time.Advance(TimeSpan.FromSeconds(3.7));
        var create = harness.CreateTipProxy(creator, creator.Address, Algo);
        var appId = Chain.GetPending(Accepted(Logged(harness.Submit(create, creator))))!.ApplicationIndex!.Value;
        for (var i = 0; i < 7; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(900));
            Accepted(Logged(harness.Tip(fan, appId, Algo + (ulong)i, $"tip {i}")));
            if (i % 3 == 0)
            {
                // A read seals the open round: the next tip opens another, which only the recorded round tells a replay.
                Chain.GetStatus();
            }
        }

        Rejected(Logged(harness.Tip(fan, appId, Algo / 2, "too small")), "below the minimum");
        Logged(0);
        Chain.AdvanceRounds(5);
        Logged(0);
        harness.Time.Advance(TimeSpan.FromMinutes(2));
        Accepted(Logged(Chain.Fund(fan.Address, 3 * Algo)));
        Accepted(Logged(harness.Submit(harness.Pay(fan.Address, creator.Address, 2 * Algo), fan)));
        return (creator, fan, appId);
    }

    private SimulatedChain Replayed(IEnumerable<LedgerEntry> entries, TimeProvider clock)
    {
        var replayed = new SimulatedChain(harness.Options, clock, Chain.GenesisTime);
        foreach (var entry in entries)
        {
            replayed.Replay(entry);
        }

        return replayed;
    }

    private static object[] History(SimulatedChain chain) =>
    [
        .. chain.SearchRounds(0, ulong.MaxValue, null, SimulatedChain.MaxSearchLimit).Transactions
            .Select(t => (t.Id, t.ConfirmedRound, t.IntraRoundOffset, t.RoundTime, t.CreatedApplicationId, t.TxType, t.Sender, t.PaymentAmount, Logs: Convert.ToBase64String([.. t.Logs.SelectMany(l => l)]))),
    ];

    [Fact]
    public void A_replayed_log_rebuilds_the_same_rounds_txids_balances_apps_and_next_id_on_another_clock()
    {
        var (creator, fan, appId) = BuildHistory();
        Assert.Equal(13, log.Count);

        // Later, on a clock nowhere near the original: a replay that read it would stamp other round times.
        var replayed = Replayed(log, new FakeTimeProvider(new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(Chain.LastRound, replayed.LastRound);
        Assert.Equal(History(Chain), History(replayed));
        Assert.Equal(19, History(replayed).Length);
        foreach (var address in new[] { creator.Address, fan.Address, harness.Platform.Address, AlgorandAddress.ForApplication(appId) })
        {
            Assert.Equal(JsonSerializer.Serialize(Chain.GetAccount(address)), JsonSerializer.Serialize(replayed.GetAccount(address)));
        }

        Assert.Equal(JsonSerializer.Serialize(Chain.GetApplication(appId)), JsonSerializer.Serialize(replayed.GetApplication(appId)));
        Assert.Equal(7UL, harness.GlobalUint(appId, "total_tips"));
        // The id counter came back too: the next app gets the same new id on both, not the first one again.
        var next = Body((harness.CreateTipProxy(creator, creator.Address, Algo), creator));
        var originalNext = Chain.GetPending(Accepted(Chain.Submit(next)))!.ApplicationIndex;
        var replayedNext = replayed.GetPending(Accepted(replayed.Submit(next)))!.ApplicationIndex;
        Assert.Equal(originalNext, replayedNext);
        Assert.Equal(appId + 1, replayedNext);
    }

    [Fact]
    public void Entries_replay_only_in_their_order_on_their_genesis()
    {
        BuildHistory();

        Assert.Throws<InvalidOperationException>(() => Replayed(log.Skip(1), harness.Time));
        Assert.Throws<InvalidOperationException>(() => Replayed([.. log.Take(4), .. log.Skip(5)], harness.Time));
        // The first entry, a faucet payment, would get another txid on another genesis.
        var otherGenesis = new SimulatedChain(
            new SimulatedChainOptions { Platform = harness.Platform.Address, GenesisHash = Convert.ToBase64String(new byte[32]) }, harness.Time, Chain.GenesisTime);
        Assert.Throws<InvalidOperationException>(() => otherGenesis.Replay(log[0]));
    }

    [Fact]
    public async Task The_stored_log_appends_in_fixed_size_chunks_and_loads_back_the_same_chain()
    {
        var storage = new JsonDictionaryStorage();
        var grain = GrainId.Create("ff.simulated-ledger", ISimulatedLedger.Key);
        var (chain, stored) = await SimulatedLedgerLog.LoadAsync(storage, grain, harness.Options, harness.Time, NullLogger.Instance);
        var (creator, fan) = (NewSigner(), NewSigner());
        Accepted(chain.Fund(creator.Address, 10 * Algo));
        await stored.AppendAsync(chain.LastAccepted!);
        Accepted(chain.Fund(fan.Address, 1000 * Algo));
        await stored.AppendAsync(chain.LastAccepted!);
        var create = harness.CreateTipProxy(creator, creator.Address, Algo) with { FirstValid = chain.LastRound, LastValid = chain.LastRound + 1000 };
        var appId = chain.GetPending(Accepted(chain.Submit(Body((create, creator)))))!.ApplicationIndex!.Value;
        await stored.AppendAsync(chain.LastAccepted!);
        const int tips = (3 * SimulatedLedgerLog.ChunkSize) + 7;
        for (var i = 0; i < tips; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(300));
            var (payment, call) = FrontendTip(fan.Address, appId, Algo, $"{i}");
            Accepted(chain.Submit(Body((payment, fan), (call, fan))));
            await stored.AppendAsync(chain.LastAccepted!);
        }

        // Head + four chunks; no write carried more than one chunk: a write's size does not grow with the history.
        Assert.Equal(5, storage.Rows.Count);
        Assert.Equal(3 + tips, stored.Count);
        Assert.Equal(storage.Rows.Values.Max(r => r.Json.Length), storage.LargestWrite);
        Assert.True(storage.LargestWrite * 3 < storage.Rows.Values.Sum(r => r.Json.Length), $"largest write {storage.LargestWrite}");

        var (loaded, reloaded) = await SimulatedLedgerLog.LoadAsync(storage, grain, harness.Options, new FakeTimeProvider(DateTimeOffset.UnixEpoch), NullLogger.Instance);
        Assert.Equal(stored.Count, reloaded.Count);
        Assert.Equal(chain.LastRound, loaded.LastRound);
        Assert.Equal(History(chain), History(loaded));
        Assert.Equal(chain.GetAccount(fan.Address).Amount, loaded.GetAccount(fan.Address).Amount);

        // The reloaded log goes on appending where the stored one stopped.
        Accepted(loaded.Fund(creator.Address, Algo));
        await reloaded.AppendAsync(loaded.LastAccepted!);
        var (again, _) = await SimulatedLedgerLog.LoadAsync(storage, grain, harness.Options, harness.Time, NullLogger.Instance);
        Assert.Equal(History(loaded), History(again));
    }

    [Fact]
    public async Task The_stored_log_replays_a_claimed_tokens_freeze_clawbacks_and_destroy()
    {
        var storage = new JsonDictionaryStorage();
        var grain = GrainId.Create("ff.simulated-ledger", ISimulatedLedger.Key);
        var (chain, stored) = await SimulatedLedgerLog.LoadAsync(storage, grain, harness.Options, harness.Time, NullLogger.Instance);
        var platform = harness.Platform;
        var (fan, friend) = (NewSigner(), NewSigner());
        async Task<string> Do(byte[] body)
        {
            var txId = Accepted(chain.Submit(body));
            await stored.AppendAsync(chain.LastAccepted!);
            return txId;
        }

        Transaction Header(TransactionType type, AlgorandAddress sender) => new()
        {
            Type = type, Sender = sender, Fee = 1000, FirstValid = chain.LastRound, LastValid = chain.LastRound + 1000,
            GenesisId = chain.GenesisId, GenesisHash = chain.GenesisHash,
        };
        Transaction Transfer(ulong asset, AlgorandAddress sender, AlgorandAddress to, ulong amount = 1) =>
            Header(TransactionType.AssetTransfer, sender) with { TransferAssetId = asset, AssetReceiver = to, AssetAmount = amount };

        foreach (var wallet in new[] { fan, friend })
        {
            Accepted(chain.Fund(wallet.Address, 10 * Algo));
            await stored.AppendAsync(chain.LastAccepted!);
        }

        var golden = new AssetParams
        {
            Total = 1, UnitName = "SHAWTY", Manager = platform.Address, Reserve = platform.Address, Freeze = platform.Address, Clawback = platform.Address,
        };
        var (kept, burned) = (
            chain.GetPending(await Do(Body((Header(TransactionType.AssetConfig, platform.Address) with { AssetParams = golden }, platform))))!.AssetIndex!.Value,
            chain.GetPending(await Do(Body((Header(TransactionType.AssetConfig, platform.Address) with { AssetParams = golden }, platform))))!.AssetIndex!.Value);
        foreach (var asset in new[] { kept, burned })
        {
            await Do(Body((Transfer(asset, fan.Address, fan.Address, 0), fan)));
            await Do(Body((Transfer(asset, platform.Address, fan.Address) with { AssetSender = platform.Address }, platform)));
        }

        await Do(Body((Transfer(kept, friend.Address, friend.Address, 0), friend)));
        await Do(Body((Transfer(kept, fan.Address, friend.Address), fan)));
        await Do(Body(
            (Transfer(kept, platform.Address, friend.Address) with { AssetSender = friend.Address }, platform),
            (Header(TransactionType.AssetFreeze, platform.Address) with { FreezeAssetId = kept, FreezeAccount = friend.Address, AssetFrozen = true }, platform)));
        await Do(Body(
            (Transfer(burned, platform.Address, platform.Address) with { AssetSender = fan.Address }, platform),
            (Header(TransactionType.AssetConfig, platform.Address) with { ConfigAssetId = burned }, platform)));

        var (reloaded, _) = await SimulatedLedgerLog.LoadAsync(storage, grain, harness.Options, harness.Time, NullLogger.Instance);

        Assert.Equal(History(chain), History(reloaded));
        Assert.Equal(new(kept, 1, true), reloaded.GetAccountAsset(friend.Address, kept));
        Assert.Equal(0UL, reloaded.GetAccountAsset(fan.Address, kept)!.Amount);
        Assert.Null(reloaded.GetAsset(burned));
        // The replayed ledger enforces the replayed freeze: the frozen holder's own transfer is refused there too.
        Rejected(reloaded.Submit(Body((Transfer(kept, friend.Address, fan.Address) with { FirstValid = reloaded.LastRound, LastValid = reloaded.LastRound + 10 }, friend))), "frozen");
    }

    /// <summary>Grain storage in a dictionary that stores JSON as the silo's serializer does, with ETags, recording write sizes.</summary>
    private sealed class JsonDictionaryStorage : IGrainStorage
    {
        public Dictionary<string, (string Name, string Json, int Version)> Rows { get; } = [];

        public int LargestWrite { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (Rows.TryGetValue($"{grainId}/{stateName}", out var row))
            {
                grainState.State = JsonSerializer.Deserialize<T>(row.Json)!;
                grainState.ETag = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = $"{grainId}/{stateName}";
            var version = Rows.TryGetValue(key, out var row) ? row.Version : 0;
            if (grainState.ETag != (version == 0 ? null : version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new InconsistentStateException($"ETag {grainState.ETag} is not {version}");
            }

            var json = JsonSerializer.Serialize(grainState.State);
            LargestWrite = Math.Max(LargestWrite, json.Length);
            Rows[key] = (stateName, json, version + 1);
            grainState.ETag = (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();
    }
}
