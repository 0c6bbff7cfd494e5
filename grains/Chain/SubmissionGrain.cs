using System.Diagnostics;
using System.Security.Cryptography;
using FanForge.Grains.Algorand.Clients;
using FanForge.GrainInterfaces.Chain;
using FanForge.GrainInterfaces.Errors;

namespace FanForge.Grains.Chain;

[GenerateSerializer, Alias("ff.SubmissionState")]
public sealed class SubmissionState
{
    /// <summary>SHA-256 of the submitted bytes: a key reused for other bytes is refused.</summary>
    [Id(0)] public byte[]? RequestHash { get; set; }
    [Id(1)] public SubmissionResult? Result { get; set; }
}

[GrainType("ff.submission")]
public sealed class SubmissionGrain(
    [PersistentState("submission", StorageNames.Default)] IPersistentState<SubmissionState> state,
    IAlgodClient algod,
    TimeProvider time) : Grain, ISubmission
{
    public async Task<SubmissionResult> SubmitAsync(byte[] signedTransactions)
    {
        var hash = SHA256.HashData(signedTransactions);
        if (state.State.Result is { } first)
        {
            return hash.AsSpan().SequenceEqual(state.State.RequestHash)
                ? first
                : throw DomainException.Conflict("idempotency_key_reused", "This idempotency key was used for different transactions.");
        }

        var members = SignedGroups.ParseVerified(signedTransactions);
        var group = members[0].Transaction.HasGroup ? Convert.ToBase64String(members[0].Transaction.Group.Span) : null;
        using var span = PaymentTracing.Source.StartActivity("algorand.submit");
        if (span is not null)
        {
            span.SetTag(PaymentTracing.TxId, members[0].TxId); // algod's answer, and a tip group's payment
            span.SetTag(PaymentTracing.Group, group);
            if (span.Recorded && group is not null)
            {
                // Awaited before the node sees the group, so the link is there by the time the follower reads it
                // confirmed (a fire-and-forget call could still be queued when the follower takes it). Only when traced.
                await GrainFactory.GetGrain<ISubmissionTrace>(group).RememberAsync(span.Context.TraceParent());
            }
        }

        try
        {
            await algod.SubmitAsync(signedTransactions);
        }
        catch (AlgorandNodeException e) when (e.IsAlreadyInLedger)
        {
            // These exact bytes are committed already (an earlier attempt whose answer was lost): that is success.
        }
        catch (AlgorandNodeException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw ChainRejections.FromNode(e); // nothing is recorded, so a corrected request can use the key again
        }

        state.State.RequestHash = hash;
        state.State.Result = new SubmissionResult(members[0].TxId, [.. members.Select(m => m.TxId)], group, time.GetUtcNow());
        // No nudge to the chain follower: it waits on the node for the next block, so it reads this round as it closes.
        await state.WriteStateAsync();
        return state.State.Result;
    }
}
