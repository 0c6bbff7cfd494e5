using System.Buffers.Binary;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.Grains.Algorand.Clients;
using FanForge.Grains.Algorand.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace FanForge.Tests.Algorand.Simulation;

/// <summary>A <see cref="SimulatedChain"/> with real Ed25519 wallets and builders for what the frontend and backend send.</summary>
internal sealed class ChainHarness
{
    public const ulong Algo = 1_000_000;

    /// <summary>TestNet's real params as the unchanged frontend reads them: far ahead of the simulation's round 1000.</summary>
    public const ulong TestNetFirstValid = 50_000_000;

    private static int nextSeed = 100;

    public ChainHarness(ulong autoFund = 0)
    {
        Options = new SimulatedChainOptions { Platform = Platform.Address, AutoFundMicroAlgo = autoFund };
        Chain = new SimulatedChain(Options, Time);
    }

    public SimulatedChainOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public Ed25519TransactionSigner Platform { get; } = NewSigner();

    public SimulatedChain Chain { get; }

    public static Ed25519TransactionSigner NewSigner() =>
        new(Enumerable.Repeat((byte)Interlocked.Increment(ref nextSeed), Ed25519TransactionSigner.SeedLength).ToArray());

    public Ed25519TransactionSigner NewWallet(ulong microAlgo = 10 * Algo)
    {
        var wallet = NewSigner();
        if (microAlgo > 0)
        {
            Assert.True(Chain.Fund(wallet.Address, microAlgo).IsAccepted);
        }

        return wallet;
    }

    /// <summary>A header built from the chain's params, as the backend does (fv = last round, lv = fv + 1000).</summary>
    public Transaction Header(TransactionType type, AlgorandAddress sender, ulong fee = 1000, ulong? firstValid = null)
    {
        var parameters = Chain.GetParams();
        var fv = firstValid ?? parameters.LastRound;
        return new Transaction
        {
            Type = type,
            Sender = sender,
            Fee = fee,
            FirstValid = fv,
            LastValid = fv + 1000,
            GenesisId = parameters.GenesisId,
            GenesisHash = parameters.GenesisHash,
        };
    }

    public Transaction Pay(AlgorandAddress from, AlgorandAddress to, ulong amount, ulong fee = 1000) =>
        Header(TransactionType.Payment, from, fee) with { Receiver = to, Amount = amount };

    /// <summary>Groups (when more than one), signs each member with its signer and concatenates, as a wallet submits.</summary>
    public static byte[] Body(params (Transaction Transaction, ITransactionSigner Signer)[] members)
    {
        var grouped = members.Length > 1 ? TransactionGroup.AssignGroup([.. members.Select(m => m.Transaction)]) : [members[0].Transaction];
        return [.. grouped.Select((transaction, index) => SignedTransaction.Sign(transaction, members[index].Signer)).SelectMany(signed => signed.Encode())];
    }

    public SubmitResult Submit(params (Transaction Transaction, ITransactionSigner Signer)[] members) => Chain.Submit(Body(members));

    public SubmitResult Submit(Transaction transaction, ITransactionSigner signer) => Submit((transaction, signer));

    public static string Accepted(SubmitResult result)
    {
        Assert.True(result.IsAccepted, result.Message);
        return result.TxId!;
    }

    public static string Rejected(SubmitResult result, string expected)
    {
        Assert.False(result.IsAccepted, $"accepted as {result.TxId}, expected a rejection containing \"{expected}\"");
        Assert.Equal(400, result.Status);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        return result.Message!;
    }

    public static byte[] UInt64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    public Transaction CreateTipProxy(ITransactionSigner deployer, AlgorandAddress creator, ulong minTip) =>
        Header(TransactionType.ApplicationCall, deployer.Address) with
        {
            ApplicationArgs = [creator.PublicKey, Platform.Address.PublicKey, UInt64(minTip), UInt64(1)],
            GlobalSchema = SimulatedChain.TipProxySchema,
            ApprovalProgram = new byte[] { 0x08, 0x81, 0x01 },
            ClearStateProgram = new byte[] { 0x08, 0x81, 0x01 },
        };

    /// <summary>Deploys TipProxy for <paramref name="creator"/>, signed by the creator.</summary>
    public ulong DeployTipProxy(ITransactionSigner creator, ulong minTip = Algo)
    {
        var txId = Accepted(Submit(CreateTipProxy(creator, creator.Address, minTip), creator));
        return Chain.GetPending(txId)!.ApplicationIndex!.Value;
    }

    /// <summary>
    /// Exactly the frontend's tip group: [pay fan → app account (flat 1000), appl NoOp ["tip", memo] (flat 3000)],
    /// built from TestNet's params (fv 50,000,000, lv 50,001,000), grouped and signed by the fan.
    /// </summary>
    public static (Transaction Payment, Transaction Call) FrontendTip(AlgorandAddress fan, ulong appId, ulong amount, string memo)
    {
        var header = new Transaction
        {
            Type = TransactionType.Payment,
            Sender = fan,
            FirstValid = TestNetFirstValid,
            LastValid = TestNetFirstValid + 1000,
            GenesisId = SimulatedChainOptions.TestNetGenesisId,
            GenesisHash = Convert.FromBase64String(SimulatedChainOptions.TestNetGenesisHash),
        };
        var payment = header with { Fee = 1000, Receiver = AlgorandAddress.ForApplication(appId), Amount = amount };
        var call = header with
        {
            Type = TransactionType.ApplicationCall,
            Fee = 3000,
            ApplicationId = appId,
            ApplicationArgs = ["tip"u8.ToArray(), Encoding.UTF8.GetBytes(memo)],
        };
        return (payment, call);
    }

    public SubmitResult Tip(ITransactionSigner fan, ulong appId, ulong amount, string memo = "")
    {
        var (payment, call) = FrontendTip(fan.Address, appId, amount, memo);
        return Submit((payment, fan), (call, fan));
    }

    public ulong GlobalUint(ulong appId, string key) => Chain.GetApplication(appId)!.FindGlobal(Encoding.ASCII.GetBytes(key))!.Uint;

    public static TealValue? Global(ApplicationInfo app, string key) => app.FindGlobal(Encoding.ASCII.GetBytes(key));
}
