using System.ComponentModel.DataAnnotations;

namespace FanForge.Grains.Payouts;

/// <summary>Section <c>Payouts</c>: how often a creator's payout grain checks whether a payout is due.</summary>
public sealed class PayoutOptions
{
    public const string SectionName = "Payouts";

    /// <summary>
    /// The period of each scheduled creator's reminder (never below the cluster's shortest reminder period). Every check
    /// reads the app and its account from the node once a period is due, so thousands of creators checking every minute
    /// would keep a node busy; a weekly payout lands within this much of the week's start.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);
}
