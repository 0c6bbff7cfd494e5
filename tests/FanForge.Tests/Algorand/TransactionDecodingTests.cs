using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>
/// What Decode refuses: anything but the one canonical encoding (algod would hash different bytes than the client
/// signed), unknown fields, other kinds of signature, and malformed or truncated bytes.
/// </summary>
public sealed class TransactionDecodingTests
{
    private static byte[] Unsigned(string name) => TransactionVectors.Case(name).Hex("unsigned_msgpack_hex");

    private static byte[] Signed(string name) => TransactionVectors.Case(name).Base64("signed_msgpack_b64");

    /// <summary>The entries of an encoded map, each key with the raw bytes of its value, in encoded order.</summary>
    private static List<(string Key, byte[] Value)> Entries(byte[] encoded)
    {
        var reader = new MsgpackReader(encoded);
        var entries = new List<(string, byte[])>();
        for (var count = reader.ReadMapHeader(); count > 0; count--)
        {
            entries.Add((reader.ReadString(), reader.ReadRaw().ToArray()));
        }

        return entries;
    }

    private static byte[] Map(IEnumerable<(string Key, byte[] Value)> entries, byte[]? header = null)
    {
        var list = entries.ToList();
        var writer = new MsgpackWriter();
        if (header is null)
        {
            writer.WriteMapHeader(list.Count);
        }
        else
        {
            writer.WriteRaw(header);
        }

        foreach (var (key, value) in list)
        {
            writer.WriteString(key);
            writer.WriteRaw(value);
        }

        return writer.ToArray();
    }

    private static byte[] With(string name, string key, byte[] value) =>
        Map(Entries(Unsigned(name)).Append((Key: key, Value: value)).OrderBy(e => e.Key, StringComparer.Ordinal));

    private static byte[] Replacing(string name, string key, byte[] value) =>
        Map(Entries(Unsigned(name)).Select(e => e.Key == key ? (key, value) : e));

    private static void AssertRefused(byte[] encoded, string? messagePart = null)
    {
        var refused = Assert.Throws<AlgorandEncodingException>(() => Transaction.Decode(encoded));
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, refused.Message);
        }
    }

    [Fact]
    public void The_test_helpers_rebuild_the_vector_unchanged()
    {
        Assert.Equal(Unsigned("pay"), Map(Entries(Unsigned("pay"))));
        Assert.Equal(Unsigned("pay"), Transaction.Decode(Map(Entries(Unsigned("pay")))).Encode());
    }

    [Fact]
    public void Unsorted_keys_are_refused()
    {
        AssertRefused(Map(Entries(Unsigned("pay")).AsEnumerable().Reverse()), "sorted");
    }

    [Fact]
    public void A_duplicated_key_is_refused()
    {
        var entries = Entries(Unsigned("pay"));
        entries.Insert(1, entries[1]);

        AssertRefused(Map(entries), "unique");
    }

    [Theory]
    [InlineData("amt", "00")] // uint 0
    [InlineData("note", "c400")] // empty bytes
    [InlineData("close", "c4200000000000000000000000000000000000000000000000000000000000000000")] // zero address
    [InlineData("grp", "c4200000000000000000000000000000000000000000000000000000000000000000")] // zero fixed hash
    public void A_zero_field_present_is_refused(string key, string valueHex)
    {
        AssertRefused(With("pay_zero_amount", key, Convert.FromHexString(valueHex)), "not canonically encoded");
    }

    [Fact]
    public void A_false_boolean_present_is_refused()
    {
        AssertRefused(With("pay", "afrz", [Msgpack.False]), "not canonically encoded");
    }

    [Theory]
    [InlineData("ce000003e8")] // 1000 as u32
    [InlineData("cf00000000000003e8")] // 1000 as u64
    public void A_non_minimal_integer_is_refused(string feeHex)
    {
        AssertRefused(Replacing("pay", "fee", Convert.FromHexString(feeHex)), "not canonically encoded");
    }

    [Fact]
    public void A_non_minimal_map_header_is_refused()
    {
        var entries = Entries(Unsigned("pay"));

        AssertRefused(Map(entries, [Msgpack.Map16, 0, (byte)entries.Count]), "not canonically encoded");
    }

    [Fact]
    public void Text_written_as_bin_is_refused()
    {
        AssertRefused(Replacing("pay", "gen", [Msgpack.Bin8, 12, .. "testnet-v1.0"u8]), "expected String");
    }

    [Theory]
    [InlineData("ff")] // negative fixint
    [InlineData("d0ff")] // int8 -1
    [InlineData("c0")] // nil
    [InlineData("c3")] // true
    public void A_fee_that_is_not_an_unsigned_integer_is_refused(string feeHex)
    {
        AssertRefused(Replacing("pay", "fee", Convert.FromHexString(feeHex)), "expected UnsignedInteger");
    }

    [Fact]
    public void An_address_that_is_not_32_bytes_is_refused()
    {
        AssertRefused(Replacing("pay", "rcv", [Msgpack.Bin8, 31, .. new byte[31]]), "32-byte");
    }

    [Fact]
    public void An_unknown_field_is_refused()
    {
        AssertRefused(With("pay", "zzz", [1]), "\"zzz\"");
    }

    [Fact]
    public void An_unsupported_transaction_type_is_refused()
    {
        AssertRefused(Replacing("pay", "type", [0xa6, .. "keyreg"u8]), "keyreg");
    }

    [Fact]
    public void A_transaction_without_type_is_refused()
    {
        AssertRefused(Map(Entries(Unsigned("pay")).Where(e => e.Key != "type")), "type");
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        AssertRefused([.. Unsigned("pay"), 0x00], "unexpected bytes");
    }

    [Fact]
    public void Every_truncation_of_a_signed_transaction_throws_an_encoding_error()
    {
        var signed = Signed("appl_noop_with_references");

        for (var length = 0; length < signed.Length; length++)
        {
            var truncated = signed[..length];
            Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.Decode(truncated));
            Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.DecodeConcatenated(truncated));
        }
    }

    [Fact]
    public void Every_truncation_of_the_group_body_is_refused_as_malformed_or_as_an_incomplete_group()
    {
        var body = TransactionVectors.Group.Base64("post_body_b64");

        for (var length = 0; length < body.Length; length++)
        {
            var truncated = body[..length];
            // Cut right after member 0 the bytes are well formed; the group check is what refuses them.
            Assert.Throws<AlgorandEncodingException>(() => TransactionGroup.Validate(SignedTransaction.DecodeConcatenated(truncated)));
        }
    }

    [Fact]
    public void Garbage_after_a_signed_transaction_in_a_body_is_refused()
    {
        Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.DecodeConcatenated([.. Signed("pay"), 0x81]));
    }

    [Theory]
    [InlineData("sgnr")]
    [InlineData("msig")]
    [InlineData("lsig")]
    public void Only_plain_single_signature_transactions_are_accepted(string authorization)
    {
        byte[] someKey = [Msgpack.Bin8, 32, .. new byte[31], 1];
        var entries = Entries(Signed("pay")).Append((Key: authorization, Value: someKey)).OrderBy(e => e.Key, StringComparer.Ordinal);

        var refused = Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.Decode(Map(entries)));
        Assert.Contains(authorization, refused.Message);
    }

    [Fact]
    public void A_signed_transaction_needs_a_64_byte_signature()
    {
        byte[] signature63 = [Msgpack.Bin8, 63, .. new byte[63]];
        var withoutSignature = Map(Entries(Signed("pay")).Where(e => e.Key != "sig"));
        var shortSignature = Map(Entries(Signed("pay")).Select(e => e.Key == "sig" ? (e.Key, signature63) : e));

        Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.Decode(withoutSignature));
        Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.Decode(shortSignature));
    }

    [Fact]
    public void A_signed_transaction_whose_inner_txn_is_not_canonical_is_refused()
    {
        var signed = Map(Entries(Signed("pay")).Select(e => e.Key == "txn" ? (e.Key, Replacing("pay", "fee", Convert.FromHexString("ce000003e8"))) : e));

        Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.Decode(signed));
    }

    [Fact]
    public void A_body_of_more_than_sixteen_signed_transactions_is_refused()
    {
        var body = Enumerable.Repeat(Signed("pay"), 17).SelectMany(bytes => bytes).ToArray();

        Assert.Throws<AlgorandEncodingException>(() => SignedTransaction.DecodeConcatenated(body));
    }
}
