using System.Text;
using FanForge.Grains.Algorand;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace FanForge.Tests.Infrastructure;

/// <summary>A real Ed25519 wallet from a fixed seed, signing the way algosdk's signBytes (and Pera) do.</summary>
public sealed class TestWallet
{
    private readonly Ed25519PrivateKeyParameters key;

    public TestWallet(byte seedByte)
        : this(Enumerable.Repeat(seedByte, 32).ToArray())
    {
    }

    public TestWallet(byte[] seed)
    {
        key = new Ed25519PrivateKeyParameters(seed);
        Address = AlgorandAddress.FromPublicKey(key.GeneratePublicKey().GetEncoded()).ToString();
        Signer = new Ed25519TransactionSigner(seed);
    }

    public string Address { get; }

    /// <summary>The same key, signing transactions.</summary>
    public Ed25519TransactionSigner Signer { get; }

    /// <summary>Ed25519 over <c>"MX" + message</c>, base64: what the frontend posts as <c>signature</c>.</summary>
    public string SignBytes(string message) => Convert.ToBase64String(SignRaw([.. "MX"u8, .. Encoding.UTF8.GetBytes(message)]));

    /// <summary>A plain Ed25519 signature without the MX prefix; login must refuse it.</summary>
    public string SignWithoutPrefix(string message) => Convert.ToBase64String(SignRaw(Encoding.UTF8.GetBytes(message)));

    private byte[] SignRaw(byte[] data)
    {
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, key);
        signer.BlockUpdate(data, 0, data.Length);
        return signer.GenerateSignature();
    }
}
