using System.Buffers.Binary;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Creators;

namespace FanForge.Grains.Chain;

/// <summary>The platform's Algorand account: it deploys every creator's TipProxy and mints badges.</summary>
public sealed class PlatformAccount(ITransactionSigner signer)
{
    public ITransactionSigner Signer { get; } = signer;

    public AlgorandAddress Address => Signer.Address;
}

/// <summary>One approval program FanForge ships or shipped, with the program version it implements.</summary>
public sealed record TipProxyProgram(ulong Version, byte[] Approval);

/// <summary>Where TipProxy's compiled programs come from.</summary>
public interface ITipProxyPrograms
{
    /// <summary>The current programs: what a deployment creates and an upgrade installs.</summary>
    Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every approval program FanForge ships or shipped (the current one included), oldest first: an app running any
    /// of them is ours, and its program version says what it can do.
    /// </summary>
    Task<IReadOnlyList<TipProxyProgram>> GetShippedAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The simulated ledger runs TipProxy's behaviour natively, so these bytes only mark the app and its program version
/// (the ledger lets the platform trigger a withdraw only on an app marked with version 2 or later).
/// </summary>
public sealed class SimulatedTipProxyPrograms : ITipProxyPrograms
{
    /// <summary>Version 1's marker, unchanged since it was first shipped: apps created with it are still ours.</summary>
    public static readonly byte[] ApprovalV1 = [0x0a, .. "FanForge TipProxy (simulated)"u8];

    public static readonly byte[] ApprovalV2 = [0x0a, .. "FanForge TipProxy v2 (simulated)"u8];

    private static readonly byte[] Clear = [0x0a, 0x81, 0x01, 0x43]; // #pragma version 10; int 1; return

    private static readonly IReadOnlyList<TipProxyProgram> Shipped = [new(1, ApprovalV1), new(TipProxy.Version, ApprovalV2)];

    public Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken) => Task.FromResult((ApprovalV2, Clear));

    public Task<IReadOnlyList<TipProxyProgram>> GetShippedAsync(CancellationToken cancellationToken) => Task.FromResult(Shipped);

    /// <summary>The program version an approval program marks on the simulated ledger; anything else behaves as version 1.</summary>
    public static ulong VersionOf(ReadOnlySpan<byte> approval) => approval.SequenceEqual(ApprovalV2) ? TipProxy.Version : 1;
}

/// <summary>
/// Against a real node: our TEAL (embedded <c>Chain/Teal/tip_proxy_*.teal</c>) compiled by the node's
/// <c>/v2/teal/compile</c>, once per process; a failed compile is not cached, so the next deployment asks again.
/// Version 1's source (<c>tip_proxy_approval_v1.teal</c>) is kept exactly as it was shipped: compiled again it gives
/// the bytes the apps deployed with it run, which is how they are still recognised as ours.
/// </summary>
public sealed class CompiledTipProxyPrograms(IAlgodClient algod) : ITipProxyPrograms
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (byte[] Approval, byte[] Clear)? compiled;
    private IReadOnlyList<TipProxyProgram>? shipped;

    public static string ApprovalSource => Source("approval");

    public static string ClearSource => Source("clear");

    /// <summary>Version 1's approval program, as shipped.</summary>
    public static string ApprovalV1Source => Source("approval_v1");

    public async Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken)
    {
        if (compiled is { } programs)
        {
            return programs;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            compiled ??= ((await algod.CompileTealAsync(ApprovalSource, cancellationToken)).Result, (await algod.CompileTealAsync(ClearSource, cancellationToken)).Result);
            return compiled.Value;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<IReadOnlyList<TipProxyProgram>> GetShippedAsync(CancellationToken cancellationToken)
    {
        if (shipped is { } known)
        {
            return known;
        }

        var current = (await GetAsync(cancellationToken)).Approval;
        await gate.WaitAsync(cancellationToken);
        try
        {
            shipped ??= [new(1, (await algod.CompileTealAsync(ApprovalV1Source, cancellationToken)).Result), new(TipProxy.Version, current)];
            return shipped;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Source(string program)
    {
        using var stream = typeof(CompiledTipProxyPrograms).Assembly.GetManifestResourceStream($"FanForge.TipProxy.tip_proxy_{program}.teal")
            ?? throw new InvalidOperationException($"The TipProxy {program} program is not embedded in the grains assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>TipProxy's creation transaction: args [creator key, platform key, min tip (uint64 BE), version (uint64 BE)].</summary>
public static class TipProxy
{
    /// <summary>The current program's version, which a new app's <c>version</c> global starts at.</summary>
    public const ulong Version = 2;

    /// <summary>The first program version whose <c>withdraw</c> the platform account may trigger (scheduled payouts).</summary>
    public const ulong PlatformWithdrawVersion = 2;

    /// <summary>The app call's flat fee in the frontend's tip group: it also covers the inner transaction's fee.</summary>
    public const ulong AppCallFee = 3000;

    /// <summary>creator, platform (bytes); min_tip, paused, version, total_tips, total_amount (uints).</summary>
    public static readonly StateSchema GlobalSchema = new(5, 2);

    /// <summary>Global state keys (ASCII): the contract's interface, shared by the simulated ledger that runs it.</summary>
    public static class GlobalKeys
    {
        public const string Creator = "creator";
        public const string Platform = "platform";
        public const string MinTip = "min_tip";
        public const string Paused = "paused";
        public const string Version = "version";
        public const string TotalTips = "total_tips";
        public const string TotalAmount = "total_amount";
    }

    /// <summary>The counters in an app's global state; a key the app lacks reads as 0, as algod omits zero values.</summary>
    public static TipProxyStats ReadStats(ApplicationInfo app)
    {
        ulong Uint(string key) => app.FindGlobal(Encoding.ASCII.GetBytes(key))?.Uint ?? 0;
        // Checked: no counter of a real chain comes near long.MaxValue (the total supply is 10^16 micro-ALGO).
        return new TipProxyStats(
            app.Id,
            checked((long)Uint(GlobalKeys.TotalTips)),
            checked((long)Uint(GlobalKeys.TotalAmount)),
            checked((long)Uint(GlobalKeys.MinTip)),
            Uint(GlobalKeys.Paused) != 0,
            Uint(GlobalKeys.Version));
    }

    /// <summary>The creation; the platform sends it (and pays) unless a creator deploys its own (<paramref name="sender"/>).</summary>
    public static Transaction BuildCreate(
        AlgorandAddress platform, AlgorandAddress creator, ulong minTipMicroAlgo, TransactionParams chain, (byte[] Approval, byte[] Clear) programs,
        AlgorandAddress? sender = null)
    {
        var create = PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, sender ?? platform) with
        {
            ApplicationArgs = [creator.PublicKey, platform.PublicKey, BigEndian(minTipMicroAlgo), BigEndian(Version)],
            ApprovalProgram = programs.Approval,
            ClearStateProgram = programs.Clear,
            GlobalSchema = GlobalSchema,
        };
        return create.WithFlatFee(chain);
    }

    /// <summary>
    /// The creator's upgrade in place: an update of <paramref name="appId"/> to <paramref name="programs"/>, sent by
    /// the creator, the only account the program lets update it (the old program then bumps <c>version</c>).
    /// </summary>
    public static Transaction BuildUpdate(AlgorandAddress creator, ulong appId, TransactionParams chain, (byte[] Approval, byte[] Clear) programs)
    {
        var update = PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, creator) with
        {
            ApplicationId = appId,
            OnCompletion = OnCompletion.UpdateApplication,
            ApprovalProgram = programs.Approval,
            ClearStateProgram = programs.Clear,
        };
        return update.WithFlatFee(chain);
    }

    /// <summary>
    /// The program version <paramref name="approval"/> implements, or null when it is not a program FanForge ships. The
    /// bytes decide, not the <c>version</c> global: that counts updates, and an update to the same program counts too.
    /// </summary>
    public static ulong? ProgramVersionOf(ReadOnlySpan<byte> approval, IReadOnlyList<TipProxyProgram> shipped)
    {
        foreach (var program in shipped)
        {
            if (approval.SequenceEqual(program.Approval))
            {
                return program.Version;
            }
        }

        return null;
    }

    /// <summary>
    /// The platform's <c>withdraw</c> of <paramref name="microAlgo"/> from <paramref name="appId"/> (program version 2 or
    /// later). The program pays the creator stored in the app whatever the call says; the creator is listed as a foreign
    /// account only so that the inner payment may reach it on a real network. The fee covers the inner payment too.
    /// </summary>
    public static Transaction BuildPlatformWithdraw(
        AlgorandAddress platform, AlgorandAddress creator, ulong appId, ulong microAlgo, TransactionParams chain)
    {
        var call = PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, platform) with
        {
            ApplicationId = appId,
            ApplicationArgs = ["withdraw"u8.ToArray(), BigEndian(microAlgo)],
            Accounts = [creator],
        };
        var withFee = call.WithFlatFee(chain);
        return withFee with { Fee = withFee.Fee + Math.Max(chain.MinFee, Fees.MinimumFee) };
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
