namespace FanForge.GrainInterfaces.Merch;

/// <summary>How a discount rule takes money off.</summary>
[GenerateSerializer, Alias("ff.DiscountType")]
public enum DiscountType
{
    /// <summary>A percentage of the amount it applies to (basis points, 10000 = 100%).</summary>
    Percent = 0,

    /// <summary>A fixed amount of micro-ALGO, at most the amount it applies to.</summary>
    FixedAlgo = 1,
}

/// <summary>A creator's discount rule. Global when <see cref="ProductId"/> is null, else for that product's lines only.</summary>
[GenerateSerializer, Immutable, Alias("ff.DiscountRule")]
public sealed record DiscountRule(
    [property: Id(0)] long Id,
    [property: Id(1)] long? ProductId,
    [property: Id(2)] DiscountType Type,
    [property: Id(3)] long Value,
    [property: Id(4)] int MinShawtyTokens,
    [property: Id(5)] bool RequiresBauni,
    [property: Id(6)] int? MaxUsesPerWallet,
    [property: Id(7)] bool Active,
    [property: Id(8)] DateTimeOffset CreatedAt);

/// <summary>A new rule as the creator asks for it; <see cref="Value"/> is basis points or micro-ALGO by type.</summary>
[GenerateSerializer, Immutable, Alias("ff.NewDiscountRule")]
public sealed record NewDiscountRule(
    [property: Id(0)] long? ProductId,
    [property: Id(1)] DiscountType Type,
    [property: Id(2)] long Value,
    [property: Id(3)] int MinShawtyTokens,
    [property: Id(4)] bool RequiresBauni,
    [property: Id(5)] int? MaxUsesPerWallet);

/// <summary>A creator's discount rules (key: creator wallet), in creation order.</summary>
[Alias("ff.ICreatorDiscounts")]
public interface ICreatorDiscounts : IGrainWithStringKey
{
    /// <summary>Adds a rule; a retry with the same <paramref name="idempotencyKey"/> returns the first rule.</summary>
    [Alias("Add")]
    Task<DiscountRule> AddAsync(NewDiscountRule rule, string? idempotencyKey);

    /// <summary>Every rule, oldest first.</summary>
    [Alias("GetAll")]
    Task<IReadOnlyList<DiscountRule>> GetAllAsync();
}

/// <summary>
/// How often one fan used each of one creator's rules (key <c>{creator}/{fan}</c>): paid orders record it, quotes read
/// it to enforce <see cref="DiscountRule.MaxUsesPerWallet"/>.
/// </summary>
[Alias("ff.IDiscountUsage")]
public interface IDiscountUsage : IGrainWithStringKey
{
    /// <summary>Uses per rule id.</summary>
    [Alias("Get")]
    Task<IReadOnlyDictionary<long, int>> GetAsync();

    /// <summary>Order <paramref name="orderId"/> used rule <paramref name="ruleId"/>; idempotent per order.</summary>
    [Alias("Record")]
    Task RecordAsync(long orderId, long ruleId);
}
