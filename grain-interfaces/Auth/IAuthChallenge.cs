namespace FanForge.GrainInterfaces.Auth;

/// <summary>
/// Login challenges of one wallet (key: the wallet address). Holds a bounded set of live nonces; each is single use
/// and expires after its TTL.
/// </summary>
[Alias("ff.IAuthChallenge")]
public interface IAuthChallenge : IGrainWithStringKey
{
    /// <summary>Issues a fresh random nonce valid for <paramref name="ttl"/>; the oldest live nonce is dropped past the cap.</summary>
    [Alias("Issue")]
    Task<AuthChallengeIssued> IssueAsync(TimeSpan ttl);

    /// <summary>
    /// Consumes <paramref name="nonce"/> if <paramref name="signature"/> is the wallet's Ed25519 signature over
    /// <c>"MX" + utf8(nonce)</c>. Throws <c>invalid_nonce</c> (unknown or used), <c>nonce_expired</c>, or
    /// <c>invalid_signature</c> (401; the nonce stays live, as a wrong signature proves nothing about the caller).
    /// </summary>
    [Alias("Redeem")]
    Task RedeemAsync(string nonce, byte[] signature);
}

/// <summary>A nonce to sign and its expiry.</summary>
[GenerateSerializer, Immutable, Alias("ff.AuthChallengeIssued")]
public sealed record AuthChallengeIssued([property: Id(0)] string Nonce, [property: Id(1)] DateTimeOffset ExpiresAt);
