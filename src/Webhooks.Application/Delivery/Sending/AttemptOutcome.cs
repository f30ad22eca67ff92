namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// One request's outcome; a null status is a timeout, a connection failure or a refused destination. With
/// <paramref name="CircuitOpen"/> nothing was sent: the endpoint's circuit is open until <paramref name="RetryAfter"/>.
/// </summary>
public sealed record AttemptOutcome(int? StatusCode, int ResponseTimeMs, string? ResponseBody, string? Error, TimeSpan? RetryAfter, bool CircuitOpen = false);
