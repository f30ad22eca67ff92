using System.Text.Json;
using Webhooks.Domain;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>Between the API's shapes and the aggregate: settings from input, views from the aggregate.</summary>
internal static class SubscriptionMapping
{
    /// <summary>The input's fields over <paramref name="current"/>'s (a partial PUT), or over the defaults.</summary>
    public static SubscriptionSettings Settings(SubscriptionInput input, Subscription? current, ISubscriptionProtector protector) => new(
        input.Url ?? current?.Url ?? "",
        input.Events ?? [.. current?.Events ?? []],
        input.Description ?? current?.Description,
        input.Headers is not null || current is null ? protector.ProtectHeaders(input.Headers) : current.Headers,
        input.RetryCount ?? current?.RetryCount ?? Subscription.DefaultRetryCount,
        input.TimeoutSeconds ?? current?.TimeoutSeconds ?? Subscription.DefaultTimeoutSeconds,
        input.SignatureScheme ?? current?.SignatureScheme ?? OutboundSignature.StandardScheme,
        input.IncludeInbound ?? current?.IncludeInbound ?? false,
        input.UserAgent ?? current?.UserAgent,
        input.ApiVersion ?? current?.ApiVersion,
        input.RetrySchedule ?? (IReadOnlyList<int>?)current?.RetrySchedule,
        input.RetryOn ?? current?.RetryOn ?? RetryOn.Retryable,
        input.Filter is { } filter ? FilterText(filter) : current?.Filter);

    /// <summary>The filter as stored: its JSON, or null for none ({} and null remove it).</summary>
    public static string? FilterText(JsonElement filter) =>
        filter.ValueKind == JsonValueKind.Null || (filter.ValueKind == JsonValueKind.Object && !filter.EnumerateObject().Any()) ? null : filter.GetRawText();

    public static SubscriptionSecret NewSecret(string secret, ISubscriptionProtector protector, DateTimeOffset now) =>
        SubscriptionSecret.Create(Guid.CreateVersion7(now), protector.Protect(secret), SecretHints.Of(secret), now);

    public static SubscriptionView View(Subscription s, ISubscriptionProtector protector) => new SubscriptionView(
        s.Id, s.Url, s.Events, s.Description, s.IsActive, protector.UnprotectHeaders(s.Headers), s.RetryCount, s.TimeoutSeconds,
        s.SignatureScheme, s.IncludeInbound, s.SuccessCount, s.FailureCount, s.LastTriggeredAt, s.LastError, s.DisabledAt, s.DisabledReason,
        s.Secrets.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).Select(k => new SecretHint(k.Id, k.Hint, k.CreatedAt, k.ExpiresAt)).ToList(),
        s.CreatedAt, s.UpdatedAt, s.UserAgent ?? DeliveryEnvelope.DefaultUserAgent, s.ApiVersion, s.RetrySchedule, s.RetryOn,
        s.ApplicationId, s.Filter is { } filter ? JsonDocument.Parse(filter).RootElement.Clone() : null) with { RetryCount = s.Retries };
}
