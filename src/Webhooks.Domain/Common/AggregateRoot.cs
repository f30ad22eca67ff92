namespace Webhooks.Domain.Common;

/// <summary>
/// An aggregate that raises domain events as it changes; the unit of work takes them when it saves and dispatches them
/// in the same transaction (their reactions may write more, or queue work for after the commit).
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> raised = [];

    /// <summary>The events raised since the last call; each is taken once.</summary>
    public IReadOnlyList<IDomainEvent> TakeDomainEvents()
    {
        var taken = raised.ToArray();
        raised.Clear();
        return taken;
    }

    protected void Raise(IDomainEvent domainEvent) => raised.Add(domainEvent);
}
