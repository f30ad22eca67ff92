namespace Webhooks.Domain.Delivery;

/// <summary>A filter that is not valid; the message names where and why.</summary>
public sealed class EventFilterException(string message) : Exception(message);
