namespace FanForge.GrainInterfaces.Audit;

/// <summary>
/// The append-only record of admin actions and creator configuration changes: who did what, when, from where, under
/// which request. On PostgreSQL it is the table <c>fanforge_audit</c>, which refuses updates and deletes; in a
/// development cluster it is one grain in memory.
/// </summary>
/// <remarks>
/// A change is recorded after it happened, by the request that made it. If recording fails the request fails (503),
/// and its retry, which returns the change's first result, records it then: so an entry is identified by a stable
/// <see cref="AuditRecord.Key"/> (the changed thing and its version) and appending the same key again is a no-op.
/// </remarks>
public interface IAuditTrail
{
    /// <summary>
    /// Appends <paramref name="record"/> once per <see cref="AuditRecord.Key"/> and answers the stored entry: the first
    /// one when the key was already recorded. Durable when it returns.
    /// </summary>
    Task<AuditEntry> AppendAsync(AuditRecord record);

    /// <summary>Entries matching <paramref name="query"/>, newest first (by time, then id).</summary>
    Task<AuditPage> QueryAsync(AuditQuery query);
}

/// <summary>One change as it is appended.</summary>
/// <param name="Key">What makes a retry the same entry: the changed thing and its version (e.g. <c>product:12@…</c>).</param>
/// <param name="Kind">One of <see cref="AuditKinds"/>.</param>
/// <param name="At">When, from the injected clock, to the microsecond (what PostgreSQL keeps).</param>
/// <param name="Actor">The wallet of the token that made the change.</param>
/// <param name="ActorRole"><c>admin</c> on admin routes, <c>creator</c> otherwise.</param>
/// <param name="Wallet">The wallet the change concerns: the creator whose configuration changed, the fan a mint is for.</param>
/// <param name="Subject">The changed thing: <c>creator:{w}</c>, <c>product:{id}</c>, <c>template:{id}</c>, …</param>
/// <param name="Changes">A JSON object: each changed field with its <c>before</c> and <c>after</c>.</param>
/// <param name="RequestId">The request's id, as the API logs it and answers it in <c>X-Request-Id</c>.</param>
/// <param name="ClientAddress">The client's address (behind trusted proxies, the one they forwarded); null if unknown.</param>
[GenerateSerializer, Immutable, Alias("ff.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] string Key,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Actor,
    [property: Id(4)] string ActorRole,
    [property: Id(5)] string? Wallet,
    [property: Id(6)] string Subject,
    [property: Id(7)] string Changes,
    [property: Id(8)] string RequestId,
    [property: Id(9)] string? ClientAddress);

/// <summary>A stored entry: its id (ascending in append order within the store) and what was appended.</summary>
/// <param name="Id">The store's id of the entry.</param>
/// <param name="Record">The record as it was first appended.</param>
[GenerateSerializer, Immutable, Alias("ff.AuditEntry")]
public sealed record AuditEntry([property: Id(0)] long Id, [property: Id(1)] AuditRecord Record);

/// <summary>A position in the newest-first order: the last entry of a page.</summary>
/// <param name="At">That entry's time.</param>
/// <param name="Id">That entry's id.</param>
[GenerateSerializer, Immutable, Alias("ff.AuditCursor")]
public sealed record AuditCursor([property: Id(0)] DateTimeOffset At, [property: Id(1)] long Id);

/// <summary>Filters of a read; every one optional.</summary>
/// <param name="Wallet">Entries whose actor or wallet is this one.</param>
/// <param name="Kind">Entries of this kind.</param>
/// <param name="From">Entries at or after this time.</param>
/// <param name="To">Entries before this time.</param>
/// <param name="After">Entries after this position in the newest-first order (the previous page's last).</param>
/// <param name="Limit">Most entries answered.</param>
[GenerateSerializer, Immutable, Alias("ff.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string? Wallet,
    [property: Id(1)] string? Kind,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] AuditCursor? After,
    [property: Id(5)] int Limit);

/// <summary>One page of entries, newest first, and where the next page starts (null: this was the last).</summary>
/// <param name="Entries">The entries.</param>
/// <param name="Next">The last entry's position when more may follow.</param>
[GenerateSerializer, Immutable, Alias("ff.AuditPage")]
public sealed record AuditPage([property: Id(0)] IReadOnlyList<AuditEntry> Entries, [property: Id(1)] AuditCursor? Next);

/// <summary>What an entry records; stable names, since readers filter on them.</summary>
public static class AuditKinds
{
    /// <summary>A wallet registered as a creator (its TipProxy deployed).</summary>
    public const string CreatorRegistered = "creator.registered";

    /// <summary>A creator changed its prices.</summary>
    public const string PricingChanged = "creator.pricing_changed";

    /// <summary>A creator asked for the unsigned call that pauses its TipProxy.</summary>
    public const string ContractPause = "contract.pause";

    /// <summary>A creator asked for the unsigned call that unpauses its TipProxy.</summary>
    public const string ContractUnpause = "contract.unpause";

    /// <summary>A creator asked for the unsigned update of its TipProxy to the current program.</summary>
    public const string ContractUpgrade = "contract.upgrade";

    /// <summary>A creator added a product.</summary>
    public const string ProductCreated = "product.created";

    /// <summary>A creator changed a product.</summary>
    public const string ProductUpdated = "product.updated";

    /// <summary>A creator soft-deleted a product.</summary>
    public const string ProductDeleted = "product.deleted";

    /// <summary>A creator added a discount rule.</summary>
    public const string DiscountCreated = "discount.created";

    /// <summary>A creator uploaded a sticker template.</summary>
    public const string TemplateCreated = "template.created";

    /// <summary>A creator deleted a sticker template.</summary>
    public const string TemplateDeleted = "template.deleted";

    /// <summary>An admin minted a sticker for a fan.</summary>
    public const string PlatformMint = "nft.platform_mint";

    /// <summary>An admin resumed the chain follower.</summary>
    public const string ListenerResumed = "listener.resumed";

    /// <summary>A creator changed its payout schedule.</summary>
    public const string PayoutScheduleChanged = "payout.schedule_changed";

    /// <summary>Every kind, for validating a filter.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CreatorRegistered, PricingChanged, ContractPause, ContractUnpause, ContractUpgrade, ProductCreated, ProductUpdated,
        ProductDeleted, DiscountCreated, TemplateCreated, TemplateDeleted, PlatformMint, ListenerResumed, PayoutScheduleChanged,
    };
}
