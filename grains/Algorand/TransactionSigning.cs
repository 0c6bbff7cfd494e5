using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace FanForge.Grains.Algorand;

/// <summary>
/// Signs transactions for one account. Behind an interface so the platform key can live in a KMS later and tests can
/// use the vectors' fixed seeds.
/// </summary>
public interface ITransactionSigner
{
    AlgorandAddress Address { get; }

    /// <summary>Ed25519 signature (64 bytes) over <paramref name="bytesToSign"/>, which already carry their "TX" prefix.</summary>
    byte[] Sign(ReadOnlySpan<byte> bytesToSign);
}

/// <summary>An in-process Ed25519 key from its 32-byte seed (the secret a 25-word mnemonic encodes). Signatures are deterministic.</summary>
public sealed class Ed25519TransactionSigner : ITransactionSigner
{
    public const int SeedLength = 32;

    private readonly Ed25519PrivateKeyParameters privateKey;

    public Ed25519TransactionSigner(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedLength)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedLength} bytes, not {seed.Length}", nameof(seed));
        }

        privateKey = new Ed25519PrivateKeyParameters(seed);
        Address = AlgorandAddress.FromPublicKey(privateKey.GeneratePublicKey().GetEncoded());
    }

    public AlgorandAddress Address { get; }

    public byte[] Sign(ReadOnlySpan<byte> bytesToSign)
    {
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, privateKey);
        signer.BlockUpdate(bytesToSign);
        return signer.GenerateSignature();
    }
}
