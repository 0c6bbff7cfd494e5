using System.Buffers.Binary;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Creators;
using FanForge.GrainInterfaces.Errors;

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
/// Against a real node the TipProxy TEAL must be compiled by algod; until our program ships (creator tools issue),
/// deploying on a real network is refused rather than creating an app that does not behave like TipProxy.
/// </summary>
public sealed class UnavailableTipProxyPrograms : ITipProxyPrograms
{
    public Task<(byte[] Approval, byte[] Clear)> GetAsync(CancellationToken cancellationToken) =>
        throw new DomainException(DomainErrorKind.Unavailable, "tipproxy_unavailable", "TipProxy deployment on a real Algorand network is not available yet.");
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

    public static Transaction BuildCreate(
        AlgorandAddress platform, AlgorandAddress creator, ulong minTipMicroAlgo, TransactionParams chain, (byte[] Approval, byte[] Clear) programs)
    {
        var create = PlatformTransactions.FromParams(chain, TransactionType.ApplicationCall, platform) with
        {
            ApplicationArgs = [creator.PublicKey, platform.PublicKey, BigEndian(minTipMicroAlgo), BigEndian(Version)],
            ApprovalProgram = programs.Approval,
            ClearStateProgram = programs.Clear,
            GlobalSchema = GlobalSchema,
        };
        return create.WithFlatFee(chain);
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
