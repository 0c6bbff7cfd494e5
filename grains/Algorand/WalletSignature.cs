using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace FanForge.Grains.Algorand;

/// <summary>Wallet signatures over arbitrary bytes, as algosdk <c>signBytes</c> and Pera <c>signData</c> make them.</summary>
public static class WalletSignature
{
    public const int SignatureLength = 64;

    /// <summary>Ed25519 verification of <paramref name="signature"/> over <c>"MX" ‖ message</c> by <paramref name="signer"/>.</summary>
    public static bool VerifySignBytes(AlgorandAddress signer, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Verify(signer, "MX"u8, message, signature);

    /// <summary>
    /// Ed25519 verification of <paramref name="signature"/> over <c>prefix ‖ message</c>. The prefix is Algorand's domain
    /// separation ("MX" arbitrary data, "TX" transactions), so one signature can never pass as the other kind.
    /// </summary>
    internal static bool Verify(AlgorandAddress signer, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        var verifier = new Ed25519Signer();
        verifier.Init(forSigning: false, new Ed25519PublicKeyParameters(signer.PublicKey));
        verifier.BlockUpdate(prefix);
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }

    /// <summary>Decodes standard or URL-safe base64 of exactly 64 bytes; never throws.</summary>
    public static bool TryDecodeBase64Signature(string? text, out byte[] signature)
    {
        signature = [];
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100)
        {
            return false;
        }

        if (!LenientBase64.TryDecode(text, out var decoded) || decoded.Length != SignatureLength)
        {
            return false;
        }

        signature = decoded;
        return true;
    }
}
