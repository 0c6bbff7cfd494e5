using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>The canonical encoding's omission of zero values on fields the vectors do not cover, and the fee rule.</summary>
public sealed class TransactionModelTests
{
    private static readonly AlgorandAddress Fan = AlgorandAddress.Parse(TransactionVectors.File.GetProperty("accounts").Text("fan"));
    private static readonly AlgorandAddress Platform = AlgorandAddress.Parse(TransactionVectors.File.GetProperty("accounts").Text("platform"));

    private static Transaction Base(TransactionType type) => new()
    {
        Type = type,
        Sender = Platform,
        Fee = 1000,
        FirstValid = 50_000_000,
        LastValid = 50_001_000,
        GenesisId = "testnet-v1.0",
        GenesisHash = Convert.FromBase64String(TransactionVectors.File.GetProperty("suggested_params").Text("genesis_hash_b64")),
    };

    private static List<string> Keys(Transaction transaction)
    {
        var reader = new MsgpackReader(transaction.Encode());
        var keys = new List<string>();
        for (var count = reader.ReadMapHeader(); count > 0; count--)
        {
            keys.Add(reader.ReadString());
            reader.Skip();
        }

        return keys;
    }

    public static TheoryData<Transaction> EveryField() => new(
        Base(TransactionType.AssetFreeze) with { FreezeAssetId = 777, FreezeAccount = Fan, AssetFrozen = true },
        Base(TransactionType.Payment) with
        {
            Receiver = Fan,
            Amount = ulong.MaxValue,
            CloseRemainderTo = Fan,
            Lease = Enumerable.Repeat((byte)9, 32).ToArray(),
            RekeyTo = Fan,
            Note = new byte[32],
        },
        Base(TransactionType.AssetTransfer) with { TransferAssetId = 777, AssetReceiver = Fan, AssetCloseTo = Platform },
        Base(TransactionType.AssetConfig) with { ConfigAssetId = 777, AssetParams = new AssetParams { Decimals = 6, Total = 1 << 40 } },
        Base(TransactionType.ApplicationCall) with
        {
            ApplicationId = 123456,
            OnCompletion = OnCompletion.DeleteApplication,
            ApplicationArgs = [ReadOnlyMemory<byte>.Empty, new byte[300]],
            ForeignApps = [0, 42],
            Boxes = [new BoxReference(1, "b"u8.ToArray()), new BoxReference(0, ReadOnlyMemory<byte>.Empty)],
            LocalSchema = new StateSchema(1, 0),
            ExtraProgramPages = 3,
            ApprovalProgram = new byte[70_000],
        });

    [Theory]
    [MemberData(nameof(EveryField))]
    public void Every_field_round_trips_through_decode_with_sorted_keys(Transaction transaction)
    {
        var decoded = Transaction.Decode(transaction.Encode());

        Assert.Equal(transaction, decoded);
        Assert.Equal(Keys(transaction).Order(StringComparer.Ordinal), Keys(transaction));
    }

    [Fact]
    public void A_32_byte_note_of_zeros_is_kept_but_fixed_hashes_of_zeros_are_left_out()
    {
        var transaction = Base(TransactionType.Payment) with { Note = new byte[32], Lease = new byte[32], Group = new byte[32] };

        var keys = Keys(transaction);

        Assert.Contains("note", keys);
        Assert.DoesNotContain("lx", keys);
        Assert.DoesNotContain("grp", keys);
    }

    [Fact]
    public void Sub_maps_whose_fields_are_all_zero_are_left_out()
    {
        var transaction = Base(TransactionType.ApplicationCall) with
        {
            AssetParams = new AssetParams(),
            GlobalSchema = new StateSchema(0, 0),
            LocalSchema = new StateSchema(0, 1),
        };

        var keys = Keys(transaction);

        Assert.DoesNotContain("apar", keys);
        Assert.DoesNotContain("apgs", keys);
        Assert.Contains("apls", keys);
    }

    [Fact]
    public void The_default_address_is_the_zero_address_and_is_left_out()
    {
        Assert.Equal(AlgorandAddress.Zero, default);
        Assert.True(default(AlgorandAddress).IsZero);
        Assert.Equal(new byte[32], default(AlgorandAddress).PublicKey);
        Assert.Equal(Keys(Base(TransactionType.Payment)), Keys(Base(TransactionType.Payment) with { Receiver = AlgorandAddress.Zero, RekeyTo = default }));
    }

    [Fact]
    public void A_fixed_hash_of_the_wrong_length_is_refused_when_set()
    {
        Assert.Throws<ArgumentException>(() => Base(TransactionType.Payment) with { Group = new byte[31] });
    }

    [Fact]
    public void Equality_is_by_encoding_not_by_array_reference()
    {
        Assert.Equal(Base(TransactionType.Payment) with { Note = "x"u8.ToArray() }, Base(TransactionType.Payment) with { Note = "x"u8.ToArray() });
        Assert.Equal(Base(TransactionType.Payment), Base(TransactionType.Payment) with { Group = new byte[32] });
        Assert.NotEqual(Base(TransactionType.Payment), Base(TransactionType.Payment) with { Fee = 1001 });
    }

    [Theory]
    [InlineData(200, 0UL, 1000UL, 1000UL)] // uncongested: the minimum
    [InlineData(200, 10UL, 1000UL, 2750UL)] // 10 × (200 + 75)
    [InlineData(0, 1UL, 0UL, 75UL)]
    public void The_flat_fee_is_the_larger_of_the_minimum_and_the_per_byte_fee_with_the_signature(int length, ulong perByte, ulong minFee, ulong expected)
    {
        Assert.Equal(expected, Fees.FlatFee(length, perByte, minFee));
    }

    [Fact]
    public void The_vector_fees_follow_the_rule_with_the_suggested_params()
    {
        var parameters = TransactionVectors.File.GetProperty("suggested_params");
        var pay = TransactionVectors.Build(TransactionVectors.Case("pay").GetProperty("fields"));

        // flat_fee with fee 1000 = min_fee: what an uncongested network suggests per byte is 0.
        Assert.Equal(pay.Fee, Fees.FlatFee(pay.Encode().Length, 0, parameters.GetProperty("min_fee").GetUInt64()));
    }
}
