using Webhooks.Domain.Inbox;
using Webhooks.Domain.Outbox;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>
/// Stores a verified webhook and its outbox events in one transaction. Completes only after the commit;
/// when the same (source, idempotency key) is already stored, answers the original id instead.
/// </summary>
public interface IInboxWriter
{
    /// <exception cref="Exceptions.StorageUnavailableException">The webhook could not be committed.</exception>
    Task<InboxWriteResult> WriteAsync(InboxMessage message, IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken);
}

public readonly record struct InboxWriteResult(Guid Id, bool Duplicate);
