using FanForge.GrainInterfaces.Loyalty;
using FanForge.GrainInterfaces.Memberships;
using FanForge.Tests.Infrastructure;

namespace FanForge.Tests.Postgres;

[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class MembershipRestartTests(PostgresFixture fixture)
{
    [PostgresFact]
    public async Task A_membership_expires_by_its_reminder_after_a_full_cluster_restart()
    {
        var member = ClusterNode.Create(await fixture.CreateMigratedDatabaseAsync(), $"{fixture.RunId}-{Guid.NewGuid().ToString("N")[..6]}");
        var shortMemberships = new Dictionary<string, string> { ["Loyalty:MembershipValidity"] = "00:00:06" };
        var (creator, fan) = (new TestWallet(171).Address, new TestWallet(172).Address);
        var payment = new ChainTip(fan, creator, 5_000_000, "MEMBERSHIP:BAUNI", new ChainPosition(1, 0), "BAUNI-RESTART", DateTimeOffset.UtcNow);

        var first = await ClusterHosts.StartSiloAsync(member, shortMemberships);
        await first.Grains().GetGrain<ICreatorPayments>(creator).ApplyAsync([payment]);
        Assert.Equal(new CreatorMemberCount(1, 1, 0), await first.Grains().GetGrain<ICreatorMembers>(creator).GetAsync());
        await first.StopAndDisposeAsync();

        var second = await ClusterHosts.StartSiloAsync(member, shortMemberships);
        try
        {
            // Nobody reads the membership: only its reminder, loaded from PostgreSQL by the new silo, can end it.
            var members = await ClusterHosts.EventuallyAsync(
                () => second.Grains().GetGrain<ICreatorMembers>(creator).GetAsync(), c => c.Expirations == 1, TimeSpan.FromSeconds(60), "the expiry");
            Assert.Equal(new CreatorMemberCount(0, 1, 1), members);
            Assert.True(DateTimeOffset.UtcNow >= payment.ConfirmedAt.AddSeconds(6));
            Assert.False((await second.Grains().GetGrain<IMembership>(FanLoyaltyKey.For(creator, fan)).GetAsync()).IsActive);
        }
        finally
        {
            await second.StopAndDisposeAsync();
        }
    }
}
