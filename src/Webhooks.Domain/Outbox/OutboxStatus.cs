namespace Webhooks.Domain.Outbox;

public enum OutboxStatus
{
    Pending = 1,
    Published = 2,
    DeadLettered = 3,
}
