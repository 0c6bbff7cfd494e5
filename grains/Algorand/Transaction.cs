namespace FanForge.Grains.Algorand;

/// <summary>The transaction types this codec encodes and accepts (keyreg, state proofs and heartbeats are not ours).</summary>
public enum TransactionType
{
    Payment,
    AssetTransfer,
    AssetFreeze,
    AssetConfig,
    ApplicationCall,
}

/// <summary>
/// An unsigned Algorand transaction, one flat record as go-algorand's <c>Transaction</c> is on the wire: the header,
/// then the fields of every type (only the ones of <see cref="Type"/> should be set). A zero value means "not set" and
/// is left out of the encoding: 0, false, "", empty bytes or lists, the zero address, an empty or all-zero 32-byte hash.
/// </summary>
public sealed record Transaction
{
    private static readonly string[] TypeNames = ["pay", "axfer", "afrz", "acfg", "appl"];

    public required TransactionType Type { get; init; }

    public AlgorandAddress Sender { get; init; }

    /// <summary>µAlgo, a flat fee: see <see cref="Fees.FlatFee"/>.</summary>
    public ulong Fee { get; init; }

    public ulong FirstValid { get; init; }

    public ulong LastValid { get; init; }

    public string GenesisId { get; init; } = "";

    public ReadOnlyMemory<byte> GenesisHash { get; init => field = CanonicalDecoding.RequireFixed(value, nameof(GenesisHash)); }

    /// <summary>The group id (<c>grp</c>), set by <see cref="TransactionGroup.AssignGroup"/>.</summary>
    public ReadOnlyMemory<byte> Group { get; init => field = CanonicalDecoding.RequireFixed(value, nameof(Group)); }

    public ReadOnlyMemory<byte> Lease { get; init => field = CanonicalDecoding.RequireFixed(value, nameof(Lease)); }

    public ReadOnlyMemory<byte> Note { get; init; }

    public AlgorandAddress RekeyTo { get; init; }

    // pay
    public AlgorandAddress Receiver { get; init; }

    public ulong Amount { get; init; }

    public AlgorandAddress CloseRemainderTo { get; init; }

    // axfer: an opt-in is a transfer of 0 to oneself; AssetSender set makes it a clawback.
    public ulong TransferAssetId { get; init; }

    public ulong AssetAmount { get; init; }

    public AlgorandAddress AssetReceiver { get; init; }

    public AlgorandAddress AssetSender { get; init; }

    public AlgorandAddress AssetCloseTo { get; init; }

    // afrz
    public ulong FreezeAssetId { get; init; }

    public AlgorandAddress FreezeAccount { get; init; }

    public bool AssetFrozen { get; init; }

    // acfg: ConfigAssetId 0 creates; set with no AssetParams destroys.
    public ulong ConfigAssetId { get; init; }

    public AssetParams? AssetParams { get; init; }

    // appl: ApplicationId 0 creates.
    public ulong ApplicationId { get; init; }

    public OnCompletion OnCompletion { get; init; }

    public IReadOnlyList<ReadOnlyMemory<byte>> ApplicationArgs { get; init; } = [];

    public IReadOnlyList<AlgorandAddress> Accounts { get; init; } = [];

    public IReadOnlyList<ulong> ForeignApps { get; init; } = [];

    public IReadOnlyList<ulong> ForeignAssets { get; init; } = [];

    public IReadOnlyList<BoxReference> Boxes { get; init; } = [];

    public ReadOnlyMemory<byte> ApprovalProgram { get; init; }

    public ReadOnlyMemory<byte> ClearStateProgram { get; init; }

    public StateSchema GlobalSchema { get; init; }

    public StateSchema LocalSchema { get; init; }

    public uint ExtraProgramPages { get; init; }

    public bool HasGroup => !CanonicalMap.IsZeroFixed(Group.Span);

    /// <summary>What gets signed and hashed: <c>"TX" ‖ Encode()</c>.</summary>
    public byte[] BytesToSign => [.. SigningPrefix, .. Encode()];

    /// <summary>SHA-512/256 of <see cref="BytesToSign"/>: the 32 bytes a group's <c>txlist</c> holds.</summary>
    public byte[] RawTxId => RawTxIdOf(Encode());

    /// <summary>The 52-character base32 id algod and the indexer show.</summary>
    public string TxId => Base32.Encode(RawTxId);

    /// <summary>Algorand's domain separation for transactions: the signature and the txid cover "TX" ‖ the encoding.</summary>
    internal static ReadOnlySpan<byte> SigningPrefix => "TX"u8;

    internal static byte[] RawTxIdOf(ReadOnlySpan<byte> encoded) => Sha512_256.Hash(SigningPrefix, encoded);

    /// <summary>Canonical msgpack (zero values left out, keys sorted), byte for byte what algosdk produces.</summary>
    public byte[] Encode() => ToMap().Encode();

    /// <summary>Parses one transaction map, refusing unknown fields and anything that is not the canonical encoding.</summary>
    public static Transaction Decode(ReadOnlySpan<byte> encoded) =>
        CanonicalDecoding.Decode(encoded, "transaction", Read, transaction => transaction.Encode());

    /// <summary>Equal when the encodings are (so an empty and an all-zero group id are the same, and bytes compare by content).</summary>
    public bool Equals(Transaction? other) => other is not null && Encode().AsSpan().SequenceEqual(other.Encode());

    public override int GetHashCode() => BitConverter.ToInt32(RawTxId);

    public override string ToString() => $"{TypeName(Type)} {TxId}";

    private CanonicalMap ToMap() => new CanonicalMap()
        .Add("aamt", AssetAmount)
        .Add("aclose", AssetCloseTo)
        .Add("afrz", AssetFrozen)
        .Add("amt", Amount)
        .AddArray("apaa", ApplicationArgs, static (writer, argument) => writer.WriteBytes(argument.Span))
        .Add("apan", (ulong)OnCompletion)
        .AddBytes("apap", ApprovalProgram)
        .Add("apar", AssetParams?.ToMap() ?? new CanonicalMap())
        .AddArray("apas", ForeignAssets, static (writer, assetId) => writer.WriteUInt(assetId))
        .AddArray("apat", Accounts, static (writer, account) => writer.WriteBytes(account.PublicKey))
        .AddArray("apbx", Boxes, static (writer, box) => box.ToMap().WriteTo(writer))
        .Add("apep", ExtraProgramPages)
        .AddArray("apfa", ForeignApps, static (writer, appId) => writer.WriteUInt(appId))
        .Add("apgs", GlobalSchema.ToMap())
        .Add("apid", ApplicationId)
        .Add("apls", LocalSchema.ToMap())
        .AddBytes("apsu", ClearStateProgram)
        .Add("arcv", AssetReceiver)
        .Add("asnd", AssetSender)
        .Add("caid", ConfigAssetId)
        .Add("close", CloseRemainderTo)
        .Add("fadd", FreezeAccount)
        .Add("faid", FreezeAssetId)
        .Add("fee", Fee)
        .Add("fv", FirstValid)
        .Add("gen", GenesisId)
        .AddFixed("gh", GenesisHash)
        .AddFixed("grp", Group)
        .Add("lv", LastValid)
        .AddFixed("lx", Lease)
        .AddBytes("note", Note)
        .Add("rcv", Receiver)
        .Add("rekey", RekeyTo)
        .Add("snd", Sender)
        .Add("type", TypeName(Type))
        .Add("xaid", TransferAssetId);

    private static Transaction Read(ref MsgpackReader reader)
    {
        var transaction = new Transaction { Type = TransactionType.Payment };
        var hasType = false;
        reader.ReadMap((ref MsgpackReader entry, string key) => transaction = key switch
        {
            "aamt" => transaction with { AssetAmount = entry.ReadUInt() },
            "aclose" => transaction with { AssetCloseTo = entry.ReadAddress() },
            "afrz" => transaction with { AssetFrozen = entry.ReadBoolean() },
            "amt" => transaction with { Amount = entry.ReadUInt() },
            "apaa" => transaction with { ApplicationArgs = entry.ReadArray(static (ref MsgpackReader item) => item.ReadByteArray()) },
            "apan" => transaction with { OnCompletion = ReadOnCompletion(ref entry) },
            "apap" => transaction with { ApprovalProgram = entry.ReadByteArray() },
            "apar" => transaction with { AssetParams = AssetParams.Read(ref entry) },
            "apas" => transaction with { ForeignAssets = entry.ReadArray(static (ref MsgpackReader item) => item.ReadUInt()) },
            "apat" => transaction with { Accounts = entry.ReadArray(static (ref MsgpackReader item) => item.ReadAddress()) },
            "apbx" => transaction with { Boxes = entry.ReadArray(BoxReference.Read) },
            "apep" => transaction with { ExtraProgramPages = entry.ReadUInt32() },
            "apfa" => transaction with { ForeignApps = entry.ReadArray(static (ref MsgpackReader item) => item.ReadUInt()) },
            "apgs" => transaction with { GlobalSchema = StateSchema.Read(ref entry) },
            "apid" => transaction with { ApplicationId = entry.ReadUInt() },
            "apls" => transaction with { LocalSchema = StateSchema.Read(ref entry) },
            "apsu" => transaction with { ClearStateProgram = entry.ReadByteArray() },
            "arcv" => transaction with { AssetReceiver = entry.ReadAddress() },
            "asnd" => transaction with { AssetSender = entry.ReadAddress() },
            "caid" => transaction with { ConfigAssetId = entry.ReadUInt() },
            "close" => transaction with { CloseRemainderTo = entry.ReadAddress() },
            "fadd" => transaction with { FreezeAccount = entry.ReadAddress() },
            "faid" => transaction with { FreezeAssetId = entry.ReadUInt() },
            "fee" => transaction with { Fee = entry.ReadUInt() },
            "fv" => transaction with { FirstValid = entry.ReadUInt() },
            "gen" => transaction with { GenesisId = entry.ReadString() },
            "gh" => transaction with { GenesisHash = entry.ReadFixed() },
            "grp" => transaction with { Group = entry.ReadFixed() },
            "lv" => transaction with { LastValid = entry.ReadUInt() },
            "lx" => transaction with { Lease = entry.ReadFixed() },
            "note" => transaction with { Note = entry.ReadByteArray() },
            "rcv" => transaction with { Receiver = entry.ReadAddress() },
            "rekey" => transaction with { RekeyTo = entry.ReadAddress() },
            "snd" => transaction with { Sender = entry.ReadAddress() },
            "type" => transaction with { Type = ReadType(ref entry, out hasType) },
            "xaid" => transaction with { TransferAssetId = entry.ReadUInt() },
            _ => throw CanonicalDecoding.UnknownField(key, "a transaction"),
        });
        return hasType ? transaction : throw new AlgorandEncodingException("The transaction has no \"type\"");
    }

    private static string TypeName(TransactionType type) =>
        (uint)type < TypeNames.Length ? TypeNames[(int)type] : throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown transaction type");

    private static TransactionType ReadType(ref MsgpackReader reader, out bool hasType)
    {
        var name = reader.ReadString();
        var index = Array.IndexOf(TypeNames, name);
        hasType = true;
        return index >= 0 ? (TransactionType)index : throw new AlgorandEncodingException($"Unsupported transaction type \"{name}\"");
    }

    private static OnCompletion ReadOnCompletion(ref MsgpackReader reader)
    {
        var value = reader.ReadUInt();
        return value <= (ulong)OnCompletion.DeleteApplication
            ? (OnCompletion)value
            : throw new AlgorandEncodingException($"Unknown on-completion {value}");
    }
}
