namespace Webhooks.Contracts;

/// <summary>The <c>data</c> of an event the gateway publishes; each event type has its own record.</summary>
public abstract record EventData;
