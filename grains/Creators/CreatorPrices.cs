using FanForge.GrainInterfaces.Creators;

namespace FanForge.Grains.Creators;

/// <summary>
/// The one way grains read a creator's prices: the creator's price changes (from its <see cref="ICreator"/> grain)
/// over the platform defaults (configuration). A payment is priced by the round it was confirmed in, so a change
/// applies to payments confirmed after it, however late an earlier one is processed. One instance per activation
/// caches the schedule for the rounds it is final through, so a grain pricing payments in chain order asks the
/// creator once per new round at most.
/// </summary>
public sealed class CreatorPrices(IGrainFactory grains, string creator, CreatorPricing defaults)
{
    private PriceSchedule? schedule;

    /// <summary>Reads the schedule once for payments up to <paramref name="round"/>; <see cref="At"/> then prices any of them.</summary>
    public async Task ReadThroughAsync(ulong round)
    {
        if (schedule is null || round > schedule.FinalThroughRound)
        {
            schedule = await grains.GetGrain<ICreator>(creator).GetPriceScheduleAsync(round);
        }
    }

    /// <summary>The prices for a payment confirmed in <paramref name="round"/>, at or below the round last read through.</summary>
    public CreatorPricing At(ulong round)
    {
        var known = schedule ?? throw new InvalidOperationException("Read the schedule through the round first.");
        if (round > known.FinalThroughRound)
        {
            throw new InvalidOperationException($"The schedule is final through round {known.FinalThroughRound}, not {round}.");
        }

        return known.At(round).Over(defaults);
    }

    /// <summary>The prices for a payment confirmed in <paramref name="round"/>.</summary>
    public async Task<CreatorPricing> AtAsync(ulong round)
    {
        await ReadThroughAsync(round);
        return At(round);
    }

    /// <summary>What a purchase made now costs (the newest change, which applies from the next round at the latest); read afresh.</summary>
    public async Task<CreatorPricing> CurrentAsync()
    {
        var latest = await grains.GetGrain<ICreator>(creator).GetPriceScheduleAsync(0);
        if (schedule is null || latest.FinalThroughRound >= schedule.FinalThroughRound)
        {
            schedule = latest;
        }

        return latest.Latest.Over(defaults);
    }
}
