namespace Webhooks.Domain.Common;

/// <summary>Something that happened to an aggregate, which other parts of the system react to once it is saved.</summary>
public interface IDomainEvent;
