using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FanForge.Grains.Algorand;
using FanForge.GrainInterfaces.Auth;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Auth;

/// <summary>
/// Live nonces are kept in memory only, deliberately: a nonce is valid solely while this activation holds it, so
/// losing the activation can only invalidate nonces (the wallet asks again), never revive a used one, and a login
/// costs no database write.
/// </summary>
[GrainType("ff.auth-challenge")]
public sealed class AuthChallengeGrain(TimeProvider time) : Grain, IAuthChallenge
{
    internal const int MaxLiveNonces = 5;

    private readonly List<AuthChallengeIssued> live = [];

    public Task<AuthChallengeIssued> IssueAsync(TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        live.RemoveAll(n => n.ExpiresAt <= now);
        if (live.Count >= MaxLiveNonces)
        {
            live.RemoveAt(0);
        }

        // 256 random bits as 43 URL-safe characters, the prototype's nonce format.
        var issued = new AuthChallengeIssued(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), now + ttl);
        live.Add(issued);
        return Task.FromResult(issued);
    }

    public Task RedeemAsync(string nonce, byte[] signature)
    {
        var index = live.FindIndex(n => string.Equals(n.Nonce, nonce, StringComparison.Ordinal));
        if (index < 0)
        {
            throw DomainException.Invalid("invalid_nonce", "Invalid or already-used nonce.");
        }

        if (live[index].ExpiresAt <= time.GetUtcNow())
        {
            live.RemoveAt(index);
            throw DomainException.Invalid("nonce_expired", "Nonce expired. Request a new challenge.");
        }

        var wallet = AlgorandAddress.Parse(this.GetPrimaryKeyString());
        if (!WalletSignature.VerifySignBytes(wallet, Encoding.UTF8.GetBytes(nonce), signature))
        {
            throw new DomainException(DomainErrorKind.Unauthenticated, "invalid_signature", "Invalid signature for wallet.");
        }

        live.RemoveAt(index);
        return Task.CompletedTask;
    }
}
