using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>
/// Reads tests/FanForge.Tests/Vectors/algorand/transactions.json (algosdk 3.8.0) and freeze-destroy.json (asset freeze,
/// unfreeze and destroy, derived by hand and reproduced by algosdk 3.8.0), and rebuilds each case's
/// <see cref="Transaction"/> from its "fields", the inputs the SDK was given.
/// </summary>
public static class TransactionVectors
{
    public static JsonElement File { get; } = Vectors.Load("algorand/transactions.json");

    public static JsonElement Group => File.GetProperty("group");

    /// <summary>The platform's asset freeze, unfreeze and destroy (the SDK vectors have none).</summary>
    public static JsonElement FreezeDestroy { get; } = Vectors.Load("algorand/freeze-destroy.json");

    /// <summary>The 11 single cases, the 2 members of the tip group and the 3 freeze and destroy cases, all shaped alike.</summary>
    public static IEnumerable<JsonElement> AllCases =>
        File.GetProperty("cases").EnumerateArray().Concat(Group.GetProperty("txns").EnumerateArray()).Concat(FreezeDestroy.GetProperty("cases").EnumerateArray());

    public static TheoryData<string> CaseNames() => new(AllCases.Select(c => c.Text("name")));

    public static JsonElement Case(string name) => AllCases.Single(c => c.Text("name") == name);

    public static byte[] Base64(this JsonElement element, string property) => Convert.FromBase64String(element.Text(property));

    public static ITransactionSigner SignerFor(AlgorandAddress address)
    {
        var account = Vectors.Load("algorand/addresses.json").GetProperty("valid").EnumerateArray()
            .Single(a => a.Text("address") == address.ToString());
        return new Ed25519TransactionSigner(account.Hex("seed_hex"));
    }

    public static Transaction Build(JsonElement fields)
    {
        var header = new Transaction
        {
            Type = fields.Text("type") switch
            {
                "pay" => TransactionType.Payment,
                "axfer" => TransactionType.AssetTransfer,
                "acfg" => TransactionType.AssetConfig,
                "afrz" => TransactionType.AssetFreeze,
                "appl" => TransactionType.ApplicationCall,
                var other => throw new InvalidOperationException($"No vector builder for {other}"),
            },
            Sender = Address(fields, "sender"),
            Fee = Number(fields, "fee"),
            FirstValid = Number(fields, "first_valid"),
            LastValid = Number(fields, "last_valid"),
            GenesisId = fields.Text("genesis_id"),
            GenesisHash = fields.Base64("genesis_hash_b64"),
            Group = Optional(fields, "group_b64") is { } group ? Convert.FromBase64String(group.GetString()!) : default,
            Note = Optional(fields, "note_utf8") is { } note ? Encoding.UTF8.GetBytes(note.GetString()!) : default,
        };

        return header.Type switch
        {
            TransactionType.Payment => header with { Receiver = Address(fields, "receiver"), Amount = Number(fields, "amount") },
            TransactionType.AssetTransfer => header with
            {
                TransferAssetId = Number(fields, "asset_id"),
                AssetAmount = Number(fields, "amount"),
                AssetReceiver = Address(fields, "receiver"),
                AssetSender = Address(fields, "asset_sender"),
            },
            // A destroy names the asset and carries no parameters.
            TransactionType.AssetConfig when Optional(fields, "config_asset_id") is not null => header with { ConfigAssetId = Number(fields, "config_asset_id") },
            TransactionType.AssetConfig => header with { AssetParams = BuildAssetParams(fields) },
            TransactionType.AssetFreeze => header with
            {
                FreezeAssetId = Number(fields, "asset_id"),
                FreezeAccount = Address(fields, "freeze_account"),
                AssetFrozen = fields.GetProperty("frozen").GetBoolean(),
            },
            _ => BuildApplicationCall(header, fields),
        };
    }

    private static AssetParams BuildAssetParams(JsonElement fields) => new()
    {
        Total = Number(fields, "total"),
        Decimals = (uint)Number(fields, "decimals"),
        DefaultFrozen = fields.GetProperty("default_frozen").GetBoolean(),
        UnitName = fields.Text("unit_name"),
        AssetName = fields.Text("asset_name"),
        Url = fields.Text("url"),
        MetadataHash = Optional(fields, "metadata_hash_hex") is { } hash ? Convert.FromHexString(hash.GetString()!) : default,
        Manager = Address(fields, "manager"),
        Reserve = Address(fields, "reserve"),
        Freeze = Address(fields, "freeze"),
        Clawback = Address(fields, "clawback"),
    };

    private static Transaction BuildApplicationCall(Transaction header, JsonElement fields)
    {
        var appId = Number(fields, "app_id");
        var foreignApps = Numbers(fields, "foreign_apps");
        return header with
        {
            ApplicationId = appId,
            OnCompletion = Enum.Parse<OnCompletion>(fields.Text("on_complete")),
            ApplicationArgs = Optional(fields, "app_args_utf8") is { } texts
                ? [.. texts.EnumerateArray().Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t.GetString()!))]
                : [.. Items(fields, "app_args").Select(Argument)],
            Accounts = [.. Items(fields, "accounts").Select(a => AlgorandAddress.Parse(a.GetString()))],
            ForeignApps = foreignApps,
            ForeignAssets = Numbers(fields, "foreign_assets"),
            // The SDK takes a box's app id; the wire holds 0 for the called app, else its 1-based place in apfa.
            Boxes = [.. Items(fields, "boxes").Select(b => new BoxReference(
                Number(b, "app_id") == appId ? 0 : (ulong)Array.IndexOf(foreignApps, Number(b, "app_id")) + 1,
                Encoding.UTF8.GetBytes(b.Text("name_utf8"))))],
            ApprovalProgram = Optional(fields, "approval_program_hex") is { } approval ? Convert.FromHexString(approval.GetString()!) : default,
            ClearStateProgram = Optional(fields, "clear_program_hex") is { } clear ? Convert.FromHexString(clear.GetString()!) : default,
            GlobalSchema = new StateSchema(Number(fields, "global_ints"), Number(fields, "global_bytes")),
            LocalSchema = new StateSchema(Number(fields, "local_ints"), Number(fields, "local_bytes")),
        };
    }

    private static ReadOnlyMemory<byte> Argument(JsonElement argument) => argument.EnumerateObject().Single() switch
    {
        { Name: "utf8", Value: var text } => Encoding.UTF8.GetBytes(text.GetString()!),
        { Name: "hex" or "uint64_be_hex", Value: var hex } => Convert.FromHexString(hex.GetString()!),
        var other => throw new InvalidOperationException($"Unknown argument form {other.Name}"),
    };

    private static JsonElement? Optional(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static AlgorandAddress Address(JsonElement fields, string name) =>
        Optional(fields, name) is { } text ? AlgorandAddress.Parse(text.GetString()) : AlgorandAddress.Zero;

    private static ulong Number(JsonElement fields, string name) => Optional(fields, name)?.GetUInt64() ?? 0;

    private static IEnumerable<JsonElement> Items(JsonElement fields, string name) =>
        Optional(fields, name) is { } array ? array.EnumerateArray() : [];

    private static ulong[] Numbers(JsonElement fields, string name) => [.. Items(fields, name).Select(n => n.GetUInt64())];
}
