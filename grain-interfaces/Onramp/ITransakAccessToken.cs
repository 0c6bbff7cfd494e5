namespace FanForge.GrainInterfaces.Onramp;

/// <summary>
/// The cluster's one Transak Partner Access Token (key: the partner API key). Transak invalidates the previous token
/// on every refresh, so nodes refreshing on their own would revoke each other's tokens: this grain alone refreshes,
/// one refresh at a time, and persists the token so a restart does not refresh either. The token is a secret.
/// </summary>
[Alias("ff.ITransakAccessToken")]
public interface ITransakAccessToken : IGrainWithStringKey
{
    /// <summary>The current token; refreshed first when there is none or it expires within the refresh margin.</summary>
    [Alias("Get")]
    Task<string> GetAsync();

    /// <summary>
    /// Transak refused <paramref name="rejected"/> (refreshed elsewhere with the same key): if it is still the current
    /// token, the next <see cref="GetAsync"/> refreshes. An older token is ignored, so concurrent reports refresh once.
    /// </summary>
    [Alias("Invalidate")]
    Task InvalidateAsync(string rejected);

    /// <summary>
    /// The tokens a webhook may be signed with: the current one and, for a grace period after a refresh, the one
    /// before. Never refreshes (a refresh would revoke the very token Transak signs with).
    /// </summary>
    [Alias("GetWebhookKeys")]
    Task<IReadOnlyList<string>> GetWebhookKeysAsync();
}
