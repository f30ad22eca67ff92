using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Sending;

/// <summary>
/// A finished attempt and what it decided for its delivery; <see cref="Attempted"/> is false when the endpoint's
/// circuit was open, which is no attempt: the delivery only waits until <see cref="NextAttemptAt"/>.
/// </summary>
public sealed record FinishedAttempt(
    ClaimedDelivery Delivery, bool Attempted, int Attempt, AttemptOutcome Outcome, AttemptVerdict Verdict, DeliveryStatus Status,
    DateTimeOffset? NextAttemptAt, string? Error, DateTimeOffset At);
