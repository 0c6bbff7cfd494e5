using FanForge.GrainInterfaces.Chain;

namespace FanForge.Grains.Chain;

/// <summary>
/// In memory only, and collected soon: a confirmed group is read by the follower within seconds, and a link is worth
/// no storage write on the submit path. A group submitted elsewhere (not through this API) answers null.
/// </summary>
[GrainType("ff.submission-trace"), CollectionAgeLimit(Minutes = 2)]
public sealed class SubmissionTraceGrain : Grain, ISubmissionTrace
{
    private string? traceParent;

    public Task RememberAsync(string traceParent)
    {
        this.traceParent = traceParent;
        return Task.CompletedTask;
    }

    public Task<string?> TakeAsync()
    {
        DeactivateOnIdle();
        return Task.FromResult(traceParent);
    }
}
