namespace Webhooks.Domain.Inbox;

public enum InboxStatus
{
    /// <summary>Stored and mapped; its events are in the outbox.</summary>
    Processed = 1,

    /// <summary>Mapped again on an operator's request; fresh events were written to the outbox.</summary>
    Replayed = 2,
}
