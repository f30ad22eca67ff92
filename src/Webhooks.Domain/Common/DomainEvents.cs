namespace Webhooks.Domain.Common;

/// <summary>A stored webhook was mapped again; its events are pending in the outbox.</summary>
public sealed record InboxMessageReplayed(Guid InboxId) : IDomainEvent;

/// <summary>A dead letter was replayed; its event is pending in the outbox again, under its id.</summary>
public sealed record DeadLetterReplayed(Guid DeadLetterId, Guid EventId) : IDomainEvent;

/// <summary>A delivery was queued for a new series of attempts.</summary>
public sealed record DeliveryRetried(Guid DeliveryId) : IDomainEvent;

/// <summary>A subscription was created, changed, enabled, disabled or deleted: what delivery caches about it is stale.</summary>
public sealed record SubscriptionChanged(Guid SubscriptionId) : IDomainEvent;

/// <summary>A source was created, changed, given or relieved of a secret, or deleted: the instances' catalogs are stale.</summary>
public sealed record SourceChanged(string Name) : IDomainEvent;
