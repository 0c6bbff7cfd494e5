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

/// <summary>Where TipProxy's compiled programs come from.</summary>
public interface ITipProxyPrograms
{
    Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The simulated ledger runs TipProxy's behaviour natively, whatever the program bytes, so these only mark the app.
/// </summary>
public sealed class SimulatedTipProxyPrograms : ITipProxyPrograms
{
    private static readonly byte[] Approval = [0x0a, .. "FanForge TipProxy (simulated)"u8];
    private static readonly byte[] Clear = [0x0a, 0x81, 0x01, 0x43]; // #pragma version 10; int 1; return

    public Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken) => Task.FromResult((Approval, Clear));
}

/// <summary>
/// Against a real node: our TEAL (embedded <c>Chain/Teal/tip_proxy_*.teal</c>) compiled by the node's
/// <c>/v2/teal/compile</c>, once per process; a failed compile is not cached, so the next deployment asks again.
/// </summary>
public sealed class CompiledTipProxyPrograms(IAlgodClient algod) : ITipProxyPrograms
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private (byte[] Approval, byte[] Clear)? compiled;

    public static string ApprovalSource => Source("approval");

    public static string ClearSource => Source("clear");

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
    public const ulong Version = 1;

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

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
