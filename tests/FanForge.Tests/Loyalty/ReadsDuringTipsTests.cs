using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FanForge.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace FanForge.Tests.Loyalty;

/// <summary>
/// A fan's pages read across the fan's pairs (index → pairs) while tips are applied (pair → index). Both directions at
/// once once deadlocked the two grains until Orleans' 30 s response timeout, and every read in between was a 500.
/// </summary>
public sealed class ReadsDuringTipsTests(ReadsDuringTipsTests.Factory factory) : IClassFixture<ReadsDuringTipsTests.Factory>
{
    /// <summary>The readers loop as fast as the host answers: the per-IP and per-wallet budgets must not be what stops them.</summary>
    public sealed class Factory : FanForgeApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:RequestsPerMinutePerIp", "1000000");
            builder.UseSetting("RateLimits:RequestsPerMinutePerWallet", "1000000");
        }
    }

    [Fact]
    public async Task Fan_pages_read_while_tips_and_badges_are_applied_all_answer_200()
    {
        var (creator, fan) = (new TestWallet(RandomNumberGenerator.GetBytes(32)), new TestWallet(RandomNumberGenerator.GetBytes(32)));
        var app = await factory.RegisterCreatorAsync(creator);
        var fanHttp = await factory.CreateClientAsync(fan);
        var anonymous = factory.CreateClient();
        using var tipping = new CancellationTokenSource();
        var failures = new List<string>();
        var reads = 0;

        async Task ReadUntilDoneAsync()
        {
            string[] paths = [$"/fan/{fan.Address}/stats", $"/butki/{fan.Address}/loyalty", $"/bauni/{fan.Address}/memberships"];
            while (!tipping.IsCancellationRequested)
            {
                foreach (var path in paths)
                {
                    var response = await (path.StartsWith("/fan/", StringComparison.Ordinal) ? fanHttp : anonymous).GetAsync(path);
                    Interlocked.Increment(ref reads);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add($"{path}: {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(ReadUntilDoneAsync)).ToList();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.SubmitGroupAsync(Tipping.TipGroup(fan, app, 1_000_000, "", 82_000_000 + (ulong)i))).Status);
        }

        var loyalty = await ClusterHosts.EventuallyAsync(() => anonymous.GetFromJsonAsync<JsonElement>($"/butki/{fan.Address}/loyalty/{creator.Address}"),
            l => l.GetProperty("tip_count").GetInt32() == 12 && l.GetProperty("butki_badges_earned").GetInt32() == 2, TimeSpan.FromSeconds(20), "12 tips and 2 badges");
        await tipping.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(failures);
        Assert.True(reads > 3, $"only {reads} reads ran alongside the tips");
        Assert.Equal(12, loyalty.GetProperty("tip_count").GetInt32());
    }
}
