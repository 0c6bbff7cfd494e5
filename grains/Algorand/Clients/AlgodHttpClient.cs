using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace FanForge.Grains.Algorand.Clients;

/// <summary><see cref="IAlgodClient"/> over algod's v2 REST API.</summary>
public sealed class AlgodHttpClient : IAlgodClient
{
    private static readonly MediaTypeHeaderValue BinaryContentType = new("application/x-binary");

    private readonly NodeHttpSender sender;
    private readonly AlgorandNodeOptions options;

    public AlgodHttpClient(HttpClient http, AlgorandNodeOptions options, TimeProvider? timeProvider = null)
    {
        sender = new NodeHttpSender("algod", http, options, AlgorandNodeOptions.AlgodTokenHeader, timeProvider);
        this.options = options;
    }

    public async Task<TransactionParams> GetTransactionParamsAsync(CancellationToken cancellationToken = default)
    {
        var wire = await GetAsync(new NodeRequest(HttpMethod.Get, "/v2/transactions/params"), AlgorandWireJson.Default.TransactionParamsWire, cancellationToken).ConfigureAwait(false);
        return new TransactionParams(wire.ConsensusVersion, wire.Fee, wire.GenesisHash, wire.GenesisId, wire.LastRound, wire.MinFee);
    }

    public async Task<string> SubmitAsync(ReadOnlyMemory<byte> signedTransactions, CancellationToken cancellationToken = default)
    {
        if (signedTransactions.IsEmpty)
        {
            throw new ArgumentException("Nothing to submit.", nameof(signedTransactions));
        }

        var request = new NodeRequest(HttpMethod.Post, "/v2/transactions")
        {
            Content = () => new ReadOnlyMemoryContent(signedTransactions) { Headers = { ContentType = BinaryContentType } },
        };
        var wire = await GetAsync(request, AlgorandWireJson.Default.SubmitWire, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(wire.TxId)
            ? throw new AlgorandNodeException("algod POST /v2/transactions answered 200 without a txId.")
            : wire.TxId;
    }

    public async Task<PendingTransaction?> GetPendingTransactionAsync(string txid, CancellationToken cancellationToken = default)
    {
        var request = new NodeRequest(HttpMethod.Get, $"/v2/transactions/pending/{Segment(txid)}?format=json") { NotFoundIsNull = true };
        var wire = await sender.SendAsync(request, AlgorandWireJson.Default.PendingTransactionWire, cancellationToken).ConfigureAwait(false);
        return wire is null ? null : ToPending(wire);
    }

    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetStatusAsync(new NodeRequest(HttpMethod.Get, "/v2/status"), cancellationToken);

    public Task<NodeStatus> WaitForBlockAfterAsync(ulong round, CancellationToken cancellationToken = default) =>
        GetStatusAsync(
            new NodeRequest(HttpMethod.Get, $"/v2/status/wait-for-block-after/{Number(round)}") { Timeout = options.LongPollTimeout },
            cancellationToken);

    public async Task<AccountInformation> GetAccountAsync(AlgorandAddress address, CancellationToken cancellationToken = default)
    {
        var wire = await GetAsync(new NodeRequest(HttpMethod.Get, $"/v2/accounts/{address}"), AlgorandWireJson.Default.AccountWire, cancellationToken).ConfigureAwait(false);
        return new AccountInformation(
            wire.Address,
            wire.Amount,
            wire.MinBalance,
            wire.Assets?.Select(ToHolding).ToArray() ?? [],
            wire.AuthAddr,
            wire.Round);
    }

    public async Task<AssetHolding?> GetAccountAssetAsync(AlgorandAddress address, ulong assetId, CancellationToken cancellationToken = default)
    {
        var request = new NodeRequest(HttpMethod.Get, $"/v2/accounts/{address}/assets/{Number(assetId)}") { NotFoundIsNull = true };
        var wire = await sender.SendAsync(request, AlgorandWireJson.Default.AccountAssetWire, cancellationToken).ConfigureAwait(false);
        return wire?.AssetHolding is { } holding ? ToHolding(holding) : null;
    }

    public async Task<AssetInfo?> GetAssetAsync(ulong assetId, CancellationToken cancellationToken = default)
    {
        var request = new NodeRequest(HttpMethod.Get, $"/v2/assets/{Number(assetId)}") { NotFoundIsNull = true };
        var wire = await sender.SendAsync(request, AlgorandWireJson.Default.AssetWire, cancellationToken).ConfigureAwait(false);
        if (wire?.Params is not { } p)
        {
            return null;
        }

        return new AssetInfo(wire.Index, new AssetInfoParams
        {
            Creator = p.Creator,
            Total = p.Total,
            Decimals = p.Decimals,
            DefaultFrozen = p.DefaultFrozen,
            // algod sends the text form only when it is printable UTF-8; the -b64 form is always there.
            UnitName = p.UnitName ?? Utf8OrNull(p.UnitNameB64),
            Name = p.Name ?? Utf8OrNull(p.NameB64),
            Url = p.Url ?? Utf8OrNull(p.UrlB64),
            MetadataHash = p.MetadataHash,
            Manager = p.Manager,
            Reserve = p.Reserve,
            Freeze = p.Freeze,
            Clawback = p.Clawback,
        });
    }

    public async Task<ApplicationInfo?> GetApplicationAsync(ulong applicationId, CancellationToken cancellationToken = default)
    {
        var request = new NodeRequest(HttpMethod.Get, $"/v2/applications/{Number(applicationId)}") { NotFoundIsNull = true };
        var wire = await sender.SendAsync(request, AlgorandWireJson.Default.ApplicationWire, cancellationToken).ConfigureAwait(false);
        if (wire?.Params is not { } p)
        {
            return null;
        }

        var state = p.GlobalState?
            .Select(kv => new GlobalStateEntry(kv.Key, kv.Value is { Type: (int)TealValueType.Uint } v
                ? new TealValue(TealValueType.Uint, [], v.Uint)
                : new TealValue(TealValueType.Bytes, kv.Value?.Bytes ?? [], 0)))
            .ToArray() ?? [];
        return new ApplicationInfo(wire.Id, p.Creator, state, p.ApprovalProgram, p.ClearStateProgram);
    }

    public async Task<CompiledTeal> CompileTealAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var request = new NodeRequest(HttpMethod.Post, "/v2/teal/compile")
        {
            Content = () => new StringContent(source, Encoding.UTF8, "text/plain"),
        };
        var wire = await GetAsync(request, AlgorandWireJson.Default.CompileWire, cancellationToken).ConfigureAwait(false);
        return new CompiledTeal(wire.Hash, wire.Result);
    }

    private async Task<NodeStatus> GetStatusAsync(NodeRequest request, CancellationToken cancellationToken)
    {
        var wire = await GetAsync(request, AlgorandWireJson.Default.NodeStatusWire, cancellationToken).ConfigureAwait(false);
        return new NodeStatus(wire.LastRound, Nanoseconds(wire.TimeSinceLastRound), Nanoseconds(wire.CatchupTime));
    }

    private async Task<T> GetAsync<T>(NodeRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class =>
        await sender.SendAsync(request, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("A request that does not map 404 to null returned nothing.");

    private static PendingTransaction ToPending(PendingTransactionWire wire) => new(
        wire.PoolError ?? "",
        wire.ConfirmedRound,
        wire.AssetIndex,
        wire.ApplicationIndex,
        wire.Logs?.ToArray() ?? [],
        wire.InnerTxns?.Select(ToPending).ToArray() ?? []);

    private static AssetHolding ToHolding(AssetHoldingWire wire) => new(wire.AssetId, wire.Amount, wire.IsFrozen);

    private static TimeSpan Nanoseconds(ulong ns) => TimeSpan.FromTicks((long)Math.Min(ns / 100, (ulong)long.MaxValue));

    private static string? Utf8OrNull(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }
}
