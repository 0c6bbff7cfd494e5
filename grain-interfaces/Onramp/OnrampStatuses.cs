namespace FanForge.GrainInterfaces.Onramp;

/// <summary>How on-ramp statuses relate: shared by the order grain (which applies events) and the API (which reads).</summary>
public static class OnrampStatuses
{
    /// <summary>The defined order of statuses: an event applies only if its rank is above the order's.</summary>
    public static int Rank(this OnrampStatus status) => status switch
    {
        OnrampStatus.Pending => 0,
        OnrampStatus.Processing => 1,
        OnrampStatus.Completed or OnrampStatus.Failed or OnrampStatus.Expired or OnrampStatus.Cancelled => 2,
        OnrampStatus.Refunded => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>
    /// A final outcome: reads stop asking Transak. A completed order may still be refunded, but that arrives by
    /// webhook; re-fetching every settled order on each read would call Transak for the whole history.
    /// </summary>
    public static bool IsSettled(this OnrampStatus status) => status.Rank() >= OnrampStatus.Completed.Rank();
}
