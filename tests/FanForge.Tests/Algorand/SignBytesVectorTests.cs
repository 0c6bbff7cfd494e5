using System.Text;
using System.Text.Json;
using FanForge.Grains.Algorand;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Algorand;

/// <summary>Login signature verification against algosdk signBytes vectors (tests/FanForge.Tests/Vectors/algorand/signbytes.json).</summary>
public sealed class SignBytesVectorTests
{
    private static readonly JsonElement File = Vectors.Load("algorand/signbytes.json");

    public static TheoryData<string> Messages() => new(File.GetProperty("cases").EnumerateArray().Select(c => c.Text("message_b64")));

    private static (AlgorandAddress Signer, byte[] Message, byte[] MxSignature, byte[] RawSignature, byte[] SignedBytes) Case(string messageB64)
    {
        var vector = File.GetProperty("cases").EnumerateArray().Single(c => c.Text("message_b64") == messageB64);
        return (
            AlgorandAddress.Parse(vector.Text("signer_address")),
            Convert.FromBase64String(messageB64),
            Convert.FromBase64String(vector.Text("mx_prefixed_signature_b64")),
            Convert.FromBase64String(vector.Text("raw_signature_b64")),
            vector.Hex("signed_bytes_hex"));
    }

    [Fact]
    public void The_signer_address_carries_the_vectors_public_key()
    {
        var signer = AlgorandAddress.Parse(File.GetProperty("cases")[0].Text("signer_address"));

        Assert.Equal(File.Hex("signer_public_key_hex"), signer.PublicKey);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Accepts_the_sdk_signature_over_MX_and_the_message(string messageB64)
    {
        var (signer, message, mxSignature, _, signedBytes) = Case(messageB64);

        Assert.Equal([.. File.Hex("prefix_hex"), .. message], signedBytes);
        Assert.True(WalletSignature.VerifySignBytes(signer, message, mxSignature));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Refuses_a_signature_made_without_the_MX_prefix(string messageB64)
    {
        var (signer, message, _, rawSignature, _) = Case(messageB64);

        Assert.False(WalletSignature.VerifySignBytes(signer, message, rawSignature));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Refuses_the_signature_for_another_wallet_or_another_message(string messageB64)
    {
        var (signer, message, mxSignature, _, _) = Case(messageB64);
        var wrongSigner = AlgorandAddress.Parse(File.Text("wrong_signer_address"));

        Assert.False(WalletSignature.VerifySignBytes(wrongSigner, message, mxSignature));
        Assert.False(WalletSignature.VerifySignBytes(signer, [.. message, (byte)'!'], mxSignature));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Refuses_a_signature_with_any_single_bit_flipped(string messageB64)
    {
        var (signer, message, mxSignature, _, _) = Case(messageB64);

        for (var bit = 0; bit < mxSignature.Length * 8; bit += 7)
        {
            var forged = mxSignature.ToArray();
            forged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(WalletSignature.VerifySignBytes(signer, message, forged), $"bit {bit}");
        }
    }

    [Fact]
    public void Our_test_wallet_signs_exactly_like_algosdk()
    {
        // Seed 0x07.. is the vectors' signer: same key, so the deterministic Ed25519 signature must be identical.
        var wallet = new TestWallet(7);
        var vector = File.GetProperty("cases")[0];

        Assert.Equal(vector.Text("signer_address"), wallet.Address);
        Assert.Equal(vector.Text("mx_prefixed_signature_b64"), wallet.SignBytes(Encoding.UTF8.GetString(Convert.FromBase64String(vector.Text("message_b64")))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void Decoding_a_malformed_signature_fails_without_throwing(string? text)
    {
        Assert.False(WalletSignature.TryDecodeBase64Signature(text, out _));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Decodes_standard_and_url_safe_base64(string messageB64)
    {
        var (_, _, mxSignature, _, _) = Case(messageB64);
        var standard = Convert.ToBase64String(mxSignature);
        var urlSafe = standard.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.True(WalletSignature.TryDecodeBase64Signature(standard, out var fromStandard));
        Assert.True(WalletSignature.TryDecodeBase64Signature(urlSafe, out var fromUrlSafe));
        Assert.Equal(mxSignature, fromStandard);
        Assert.Equal(mxSignature, fromUrlSafe);
    }
}
