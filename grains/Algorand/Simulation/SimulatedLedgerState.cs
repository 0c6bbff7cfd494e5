using FanForge.Grains.Algorand.Clients;

namespace FanForge.Grains.Algorand.Simulation;

/// <summary>A ledger rule refused a transaction; caught by <see cref="SimulatedChain.Submit"/> and turned into a 400.</summary>
internal sealed class LedgerRejection(string message) : Exception(message);

internal readonly record struct Holding(ulong Amount, bool Frozen);

internal sealed class AccountState
{
    public const ulong BaseMinBalance = 100_000;
    public const ulong PerAsset = 100_000;
    public const ulong PerApp = 100_000;
    public const ulong PerGlobalUint = 28_500;
    public const ulong PerGlobalByteSlice = 50_000;

    public ulong Balance { get; set; }

    public SortedDictionary<ulong, Holding> Holdings { get; private init; } = [];

    /// <summary>App id → what its global schema locks in the creating account.</summary>
    public SortedDictionary<ulong, ulong> CreatedApps { get; private init; } = [];

    public SortedSet<ulong> CreatedAssets { get; private init; } = [];

    public ulong MinBalance => BaseMinBalance + (PerAsset * (ulong)Holdings.Count) + CreatedApps.Values.Aggregate(0UL, (sum, cost) => sum + cost);

    /// <summary>An account holding nothing may sit at 0 (algod deletes it); anything else must cover its minimum.</summary>
    public bool IsEmpty => Balance == 0 && Holdings.Count == 0 && CreatedApps.Count == 0 && CreatedAssets.Count == 0;

    public bool MeetsMinBalance => IsEmpty || Balance >= MinBalance;

    public static ulong AppCost(StateSchema global) => PerApp + (PerGlobalUint * global.NumUints) + (PerGlobalByteSlice * global.NumByteSlices);

    public AccountState Clone() => new()
    {
        Balance = Balance,
        Holdings = new(Holdings),
        CreatedApps = new(CreatedApps),
        CreatedAssets = new(CreatedAssets),
    };
}

internal sealed record AssetState(ulong Id, AlgorandAddress Creator, AssetParams Params);

internal sealed class AppState
{
    public required ulong Id { get; init; }

    /// <summary>The account that deployed it (algod's <c>params.creator</c>), not TipProxy's "creator" global.</summary>
    public required AlgorandAddress Deployer { get; init; }

    public SortedDictionary<string, TealValue> Global { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Kept only to be served back (nothing runs them): an update replaces both, as algod's does.</summary>
    public required byte[] ApprovalProgram { get; set; }

    public required byte[] ClearStateProgram { get; set; }

    public bool Deleted { get; set; }

    public AlgorandAddress Address => AlgorandAddress.ForApplication(Id);

    public AppState Clone() => new()
    {
        Id = Id,
        Deployer = Deployer,
        Global = new(Global, StringComparer.Ordinal),
        ApprovalProgram = ApprovalProgram,
        ClearStateProgram = ClearStateProgram,
        Deleted = Deleted,
    };
}

/// <summary>A confirmed transaction as the node and the indexer remember it.</summary>
internal sealed record ConfirmedTransaction(
    string TxId,
    Transaction Transaction,
    ulong Round,
    ulong IntraRoundOffset,
    DateTimeOffset RoundTime,
    ulong? CreatedAssetId,
    ulong? CreatedApplicationId,
    IReadOnlyList<byte[]> Logs,
    IReadOnlyList<Transaction> InnerTransactions);

/// <summary>What applying one outer transaction produced besides balance changes.</summary>
internal sealed class ApplyResult
{
    public ulong? CreatedAssetId { get; set; }

    public ulong? CreatedApplicationId { get; set; }

    public List<byte[]> Logs { get; } = [];

    public List<Transaction> InnerTransactions { get; } = [];
}

/// <summary>The committed ledger: accounts, assets, applications and the id counter they share.</summary>
internal sealed class Ledger
{
    public Dictionary<AlgorandAddress, AccountState> Accounts { get; } = [];

    public Dictionary<ulong, AssetState> Assets { get; } = [];

    public Dictionary<ulong, AppState> Apps { get; } = [];

    /// <summary>Algorand numbers assets and applications from one counter.</summary>
    public ulong NextCreatableId { get; set; } = 1001;

    /// <summary>Senders already given the auto-fund credit.</summary>
    public HashSet<AlgorandAddress> AutoFunded { get; } = [];
}

/// <summary>
/// Copy-on-write changes over a <see cref="Ledger"/> for one group: members apply here and the ledger sees them only
/// through <see cref="CommitTo"/>, which is how a group is atomic (a rejection simply drops the delta).
/// </summary>
internal sealed class LedgerDelta(Ledger ledger)
{
    private readonly Dictionary<AlgorandAddress, AccountState> accounts = [];
    private readonly Dictionary<ulong, AssetState?> assets = [];
    private readonly Dictionary<ulong, AppState> apps = [];
    private readonly HashSet<AlgorandAddress> autoFunded = [];

    public ulong NextCreatableId { get; set; } = ledger.NextCreatableId;

    /// <summary>Accounts the current transaction touched; their minimum balance is checked once it has applied.</summary>
    public HashSet<AlgorandAddress> Touched { get; } = [];

    public AccountState Account(AlgorandAddress address)
    {
        Touched.Add(address);
        if (!accounts.TryGetValue(address, out var account))
        {
            account = ledger.Accounts.TryGetValue(address, out var committed) ? committed.Clone() : new AccountState();
            accounts[address] = account;
        }

        return account;
    }

    public bool WasAutoFunded(AlgorandAddress address) => autoFunded.Contains(address) || ledger.AutoFunded.Contains(address);

    public void MarkAutoFunded(AlgorandAddress address) => autoFunded.Add(address);

    public AssetState? Asset(ulong id) => assets.TryGetValue(id, out var asset) ? asset : ledger.Assets.GetValueOrDefault(id);

    public void SetAsset(ulong id, AssetState? asset) => assets[id] = asset;

    public AppState? App(ulong id)
    {
        if (!apps.TryGetValue(id, out var app))
        {
            if (!ledger.Apps.TryGetValue(id, out var committed))
            {
                return null;
            }

            app = committed.Clone();
            apps[id] = app;
        }

        return app;
    }

    public void AddApp(AppState app) => apps[app.Id] = app;

    public ulong NewCreatableId() => NextCreatableId++;

    public void CommitTo(Ledger target)
    {
        foreach (var (address, account) in accounts)
        {
            target.Accounts[address] = account;
        }

        foreach (var (id, asset) in assets)
        {
            if (asset is null)
            {
                target.Assets.Remove(id);
            }
            else
            {
                target.Assets[id] = asset;
            }
        }

        foreach (var (id, app) in apps)
        {
            target.Apps[id] = app;
        }

        target.NextCreatableId = NextCreatableId;
        target.AutoFunded.UnionWith(autoFunded);
    }
}
