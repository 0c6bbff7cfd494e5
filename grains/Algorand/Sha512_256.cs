using Org.BouncyCastle.Crypto.Digests;

namespace FanForge.Grains.Algorand;

/// <summary>SHA-512/256 (FIPS 180-4 SHA-512/t, t=256): its own initial values, not a truncated SHA-512.</summary>
public static class Sha512_256
{
    public static byte[] Hash(ReadOnlySpan<byte> data) => Hash([], data);

    /// <summary>Hashes <paramref name="prefix"/> followed by <paramref name="data"/> (Algorand's domain separation: "TX", "appID" …).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data)
    {
        var digest = new Sha512tDigest(256);
        digest.BlockUpdate(prefix);
        digest.BlockUpdate(data);
        var output = new byte[32];
        digest.DoFinal(output);
        return output;
    }
}
