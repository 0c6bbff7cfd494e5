using FanForge.GrainInterfaces.Loyalty;
using FanForge.Silo;
using FanForge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace FanForge.Tests.Grains;

/// <summary>
/// The silo answers grain interface types from <see cref="CachedGrainInterfaceTypes"/>, ahead of Orleans' own providers,
/// with exactly the identities Orleans' naming convention gives (none of our interfaces names its own type), so grain
/// references, calls between silos of different versions and anything stored that names an interface are unchanged.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CachedGrainInterfaceTypesTests(InProcessClusterFixture fixture)
{
    private static readonly Type[] OurInterfaces =
    [
        .. typeof(IFanLoyalty).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && !t.IsGenericType),
    ];

    [Fact]
    public void Every_grain_interface_resolves_to_orleans_conventional_identity_and_the_cache_is_asked_first()
    {
        var silo = fixture.Cluster.Silos[0].ServiceProvider;
        var resolver = silo.GetRequiredService<GrainInterfaceTypeResolver>();
        Assert.IsType<CachedGrainInterfaceTypes>(silo.GetServices<IGrainInterfaceTypeProvider>().First());
        Assert.True(OurInterfaces.Length > 30, $"only {OurInterfaces.Length} grain interfaces found");

        foreach (var type in OurInterfaces)
        {
            var expected = resolver.GetGrainInterfaceTypeByConvention(type);
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type));
            Assert.Equal(expected, resolver.GetGrainInterfaceType(type)); // and again, from the cache
        }
    }

    [Fact]
    public async Task A_reference_made_on_the_client_and_called_on_a_silo_carries_the_same_interface_type()
    {
        var pair = fixture.Client.GetGrain<IFanLoyalty>(FanLoyaltyKey.For("cached-types-creator", "cached-types-fan"));
        var expected = fixture.Client.ServiceProvider.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceTypeByConvention(typeof(IFanLoyalty));

        Assert.Equal(expected, ((GrainReference)pair).InterfaceType);
        Assert.Equal(0, (await pair.GetAsync()).PaymentCount);
    }
}
