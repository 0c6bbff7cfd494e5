using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>The transaction codec against algosdk 3.8.0's vectors (tests/FanForge.Tests/Vectors/algorand/transactions.json): byte-exact.</summary>
public sealed class TransactionVectorTests
{
    private static Transaction Built(string name) => TransactionVectors.Build(TransactionVectors.Case(name).GetProperty("fields"));

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void Encodes_the_fields_to_the_sdk_canonical_msgpack(string name)
    {
        Assert.Equal(Convert.ToHexStringLower(TransactionVectors.Case(name).Hex("unsigned_msgpack_hex")), Convert.ToHexStringLower(Built(name).Encode()));
    }

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void Computes_the_sdk_txid_and_bytes_to_sign(string name)
    {
        var vector = TransactionVectors.Case(name);
        var transaction = Built(name);

        Assert.Equal(vector.Hex("bytes_to_sign_hex"), transaction.BytesToSign);
        Assert.Equal(vector.Hex("txid_raw_hex"), transaction.RawTxId);
        Assert.Equal(vector.Text("txid"), transaction.TxId);
    }

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void Signing_with_the_senders_seed_reproduces_the_sdk_signature_and_signed_body(string name)
    {
        var vector = TransactionVectors.Case(name);
        var transaction = Built(name);

        var signed = SignedTransaction.Sign(transaction, TransactionVectors.SignerFor(transaction.Sender));

        Assert.Equal(vector.Base64("sig_b64"), signed.Signature.ToArray());
        Assert.Equal(vector.Base64("signed_msgpack_b64"), signed.Encode());
        Assert.Equal(vector.Text("txid"), signed.TxId);
    }

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void Decodes_the_sdk_signed_body_round_trip_and_verifies_it(string name)
    {
        var vector = TransactionVectors.Case(name);
        var body = vector.Base64("signed_msgpack_b64");

        var signed = SignedTransaction.Decode(body);

        Assert.Equal(Built(name), signed.Transaction);
        Assert.Equal(body, signed.Encode());
        Assert.Equal(vector.Text("txid"), signed.TxId);
        Assert.True(signed.VerifySignature());
    }

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void Decodes_the_sdk_unsigned_msgpack_round_trip(string name)
    {
        var encoded = TransactionVectors.Case(name).Hex("unsigned_msgpack_hex");

        var transaction = Transaction.Decode(encoded);

        Assert.Equal(Built(name), transaction);
        Assert.Equal(encoded, transaction.Encode());
    }

    [Theory]
    [MemberData(nameof(TransactionVectors.CaseNames), MemberType = typeof(TransactionVectors))]
    public void A_signature_with_one_flipped_bit_does_not_verify(string name)
    {
        var signed = SignedTransaction.Decode(TransactionVectors.Case(name).Base64("signed_msgpack_b64"));
        var signature = signed.Signature.ToArray();
        signature[17] ^= 0x04;

        Assert.False(new SignedTransaction(signed.Transaction, signature).VerifySignature());
    }

    [Fact]
    public void A_signature_by_another_key_does_not_verify()
    {
        var transaction = Built("pay");
        var otherKey = new Ed25519TransactionSigner(Enumerable.Repeat((byte)0x02, 32).ToArray());

        var forged = new SignedTransaction(transaction, otherKey.Sign(transaction.BytesToSign));

        Assert.False(forged.VerifySignature());
        Assert.Throws<ArgumentException>(() => SignedTransaction.Sign(transaction, otherKey));
    }

    [Fact]
    public void The_signers_address_is_the_vectors_account_for_its_seed()
    {
        var fan = AlgorandAddress.Parse(TransactionVectors.File.GetProperty("accounts").Text("fan"));

        Assert.Equal(fan, TransactionVectors.SignerFor(fan).Address);
    }

    [Fact]
    public void An_app_call_to_a_box_of_the_called_app_writes_index_zero_which_is_omitted()
    {
        var boxes = Built("appl_noop_with_references").Boxes;

        Assert.Equal([new BoxReference(0, "tips"u8.ToArray())], boxes);
    }
}
