using FanForge.GrainInterfaces.Errors;
using FanForge.GrainInterfaces.Merch;
using FanForge.GrainInterfaces.Sequences;

namespace FanForge.Grains.Merch;

[GenerateSerializer, Alias("ff.CreatorDiscountsState")]
public sealed class CreatorDiscountsState
{
    [Id(0)] public List<DiscountRule> Rules { get; set; } = [];

    /// <summary>Client idempotency keys of creations, to the rule each created.</summary>
    [Id(1)] public Dictionary<string, long> CreatedByKey { get; set; } = [];
}

/// <summary>Key: creator wallet. A creator has a handful of rules, so they live together.</summary>
[GrainType("ff.creator-discounts")]
public sealed class CreatorDiscountsGrain(
    [PersistentState("creator-discounts", StorageNames.Default)] IPersistentState<CreatorDiscountsState> state,
    TimeProvider time) : Grain, ICreatorDiscounts
{
    /// <summary>Bounds the state (and every quote's work).</summary>
    internal const int MaxRules = 100;

    public async Task<DiscountRule> AddAsync(NewDiscountRule rule, string? idempotencyKey)
    {
        if (idempotencyKey is not null && state.State.CreatedByKey.TryGetValue(idempotencyKey, out var created))
        {
            var first = state.State.Rules.Single(r => r.Id == created);
            return Matches(first, rule)
                ? first
                : throw DomainException.Conflict("idempotency_key_reused", "This idempotency key was used for a different discount rule.");
        }

        if (state.State.Rules.Count >= MaxRules)
        {
            throw DomainException.Conflict("too_many_discount_rules", $"A creator can have at most {MaxRules} discount rules.");
        }

        var id = (await GrainFactory.GetGrain<IIdSequence>("discount").ReserveAsync(1)).First;
        var stored = new DiscountRule(id, rule.ProductId, rule.Type, rule.Value, rule.MinShawtyTokens, rule.RequiresBauni, rule.MaxUsesPerWallet, Active: true, time.GetUtcNow());
        state.State.Rules.Add(stored);
        if (idempotencyKey is not null)
        {
            state.State.CreatedByKey[idempotencyKey] = id;
        }

        await state.WriteStateAsync();
        return stored;
    }

    public Task<IReadOnlyList<DiscountRule>> GetAllAsync() => Task.FromResult<IReadOnlyList<DiscountRule>>([.. state.State.Rules]);

    private static bool Matches(DiscountRule stored, NewDiscountRule asked) =>
        (stored.ProductId, stored.Type, stored.Value, stored.MinShawtyTokens, stored.RequiresBauni, stored.MaxUsesPerWallet)
        == (asked.ProductId, asked.Type, asked.Value, asked.MinShawtyTokens, asked.RequiresBauni, asked.MaxUsesPerWallet);
}
