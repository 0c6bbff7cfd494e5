using System.Globalization;
using System.Threading.RateLimiting;
using FanForge.Api.Errors;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Api.Auth;

/// <summary>Per-IP and per-wallet limits; rejections are 429 envelopes with <c>Retry-After</c>.</summary>
internal static class RateLimits
{
    public const string Challenge = "auth-challenge";
    public const string Verify = "auth-verify";
    public const string Register = "creator-register";

    public static IServiceCollection AddFanForgeRateLimits(this IServiceCollection services, RateLimitSettings limits) =>
        services.AddRateLimiter(options =>
        {
            // Everything: a generous budget per client IP, and per wallet for authenticated calls.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(c => PerMinute("ip:" + ClientIp(c), limits.RequestsPerMinutePerIp)),
                PartitionedRateLimiter.Create<HttpContext, string>(c => c.User.WalletOf() is { } wallet
                    ? PerMinute("wallet:" + wallet, limits.RequestsPerMinutePerWallet)
                    : RateLimitPartition.GetNoLimiter("anonymous")));

            options.AddPolicy(Challenge, c => PerMinute(ClientIp(c), limits.ChallengePerMinutePerIp));
            options.AddPolicy(Verify, c => PerMinute(ClientIp(c), limits.VerifyPerMinutePerIp));
            options.AddPolicy(Register, c => RateLimitPartition.GetFixedWindowLimiter(
                c.User.WalletOf() ?? ClientIp(c),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RegisterPerHourPerWallet, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));

            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiErrors.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"Rate limit exceeded. Try again in {seconds} seconds.");
            };
        });

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
