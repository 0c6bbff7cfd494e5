using FanForge.GrainInterfaces.Loyalty;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class LoyaltyRestartTests(PostgresFixture fixture)
{
    private static ChainTip Tip(string creator, string fan, ulong round, ulong intra) =>
        new(fan, creator, 1_000_000, "", new ChainPosition(round, intra), $"RESTART-{fan[..4]}-{round}-{intra}", DateTimeOffset.UnixEpoch.AddSeconds(round));

    [PostgresFact]
    public async Task After_a_full_silo_restart_redelivered_tips_double_nothing_and_new_tips_lose_nothing()
    {
        var member = ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}");
        var creator = new TestWallet(161).Address;
        var fans = new[] { new TestWallet(162).Address, new TestWallet(163).Address };
        // Two fans, rounds 1..4, two tips per round each, delivered reordered within each round.
        var beforeRestart = Enumerable.Range(1, 4)
            .SelectMany(r => fans.SelectMany((f, i) => new[] { Tip(creator, f, (ulong)r, (ulong)(i * 2 + 1)), Tip(creator, f, (ulong)r, (ulong)(i * 2)) }))
            .ToList();

        var first = await ClusterHosts.StartSiloAsync(member);
        await first.Grains().GetGrain<ICreatorPayments>(creator).ApplyAsync(beforeRestart);
        await first.StopAndDisposeAsync();

        var second = await ClusterHosts.StartSiloAsync(member);
        try
        {
            // The watcher re-reads from its last saved cursor: the old rounds again, then new ones.
            var afterRestart = beforeRestart.Concat(fans.Select((f, i) => Tip(creator, f, 5, (ulong)i))).ToList();
            var applied = await second.Grains().GetGrain<ICreatorPayments>(creator).ApplyAsync(afterRestart);

            Assert.Equal(2, applied);
            var summary = await second.Grains().GetGrain<ICreatorPayments>(creator).GetSummaryAsync();
            Assert.Equal((18, 18_000_000L, 2), (summary.PaymentCount, summary.PaymentMicroAlgo, summary.UniqueFans));
            foreach (var fan in fans)
            {
                var pair = await second.Grains().GetGrain<IFanLoyalty>(FanLoyaltyKey.For(creator, fan)).GetAsync();
                Assert.Equal((9, 1), (pair.ButkiTipCount, pair.BadgesEarned));
                Assert.Equal(creator, (await second.Grains().GetGrain<IFanTipIndex>(fan).GetCreatorsAsync()).Single());
                Assert.Equal(9, pair.PaymentCount);
            }
        }
        finally
        {
            await second.StopAndDisposeAsync();
        }
    }
}
