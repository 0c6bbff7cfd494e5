using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FanForge.Tests.Infrastructure;

namespace FanForge.Benchmarks;

/// <summary>
/// <c>POST /auth/verify</c> against a running API: challenges are fetched and signed beforehand (a wallet's work,
/// not the server's), then every verify is timed under a fixed concurrency. Start the API with rate limits raised,
/// e.g. RateLimits__ChallengePerMinutePerIp=1000000 RateLimits__VerifyPerMinutePerIp=1000000
/// RateLimits__RequestsPerMinutePerIp=1000000.
/// </summary>
internal static class AuthVerifyBenchmark
{
    private const int NoncesPerWallet = 5; // the challenge grain keeps at most 5 live nonces per wallet

    private sealed record SignedLogin(string WalletAddress, string Nonce, string Signature);

    public static async Task<object> RunAsync(Uri baseUrl, int logins, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseUrl };

        await VerifyAllAsync(http, await PrepareAsync(http, Math.Min(500, logins), seedOffset: 0), concurrency); // warm-up: JIT, grain activations
        var prepared = await PrepareAsync(http, logins, seedOffset: 1_000_000);
        var clock = Stopwatch.StartNew();
        var latencies = await VerifyAllAsync(http, prepared, concurrency);
        var elapsed = clock.Elapsed;

        return new
        {
            benchmark = "auth_verify",
            target = baseUrl.ToString(),
            machine = new { cores = Environment.ProcessorCount, note = "client and server share the machine" },
            concurrency,
            requests = latencies.Length,
            requests_per_second = Math.Round(latencies.Length / elapsed.TotalSeconds, 1),
            latency = Measure.Summary(latencies),
        };
    }

    private static async Task<SignedLogin[]> PrepareAsync(HttpClient http, int logins, int seedOffset)
    {
        var wallets = Enumerable.Range(0, (logins + NoncesPerWallet - 1) / NoncesPerWallet)
            .Select(i => new TestWallet(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seedOffset + i))))
            .ToArray();
        var prepared = new List<SignedLogin>(logins);
        foreach (var wallet in wallets)
        {
            for (var n = 0; n < NoncesPerWallet && prepared.Count < logins; n++)
            {
                var response = await http.PostAsJsonAsync("/auth/challenge", new { walletAddress = wallet.Address });
                var nonce = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nonce").GetString()!;
                prepared.Add(new SignedLogin(wallet.Address, nonce, wallet.SignBytes(nonce)));
            }
        }

        return [.. prepared];
    }

    private static async Task<double[]> VerifyAllAsync(HttpClient http, SignedLogin[] logins, int concurrency)
    {
        var latencies = new double[logins.Length];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < logins.Length)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/auth/verify", logins[i]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
            }
        }));
        return latencies;
    }
}
