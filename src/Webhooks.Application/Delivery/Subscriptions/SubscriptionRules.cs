using FluentValidation;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>The rules a subscription's fields follow, shared by the create and update validators.</summary>
internal static class SubscriptionRules
{
    public static void Apply<T>(AbstractValidator<T> validator, Func<T, SubscriptionInput> input, bool creating)
    {
        validator.RuleFor(c => input(c).Url).NotEmpty().When(_ => creating).WithMessage("url is required.");
        validator.RuleFor(c => input(c).Url).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .When(c => input(c).Url is not null).WithMessage("url must be an absolute http(s) URL.");
        validator.RuleFor(c => input(c).Events).NotEmpty().When(_ => creating).WithMessage("events must list at least one event type or pattern.");
        validator.RuleForEach(c => input(c).Events).Must(EventPatterns.IsValid)
            .WithMessage("'{PropertyValue}' is not an event type or pattern: use segments of letters, digits, '_' or '-' separated by dots, optionally ending in '.*', or '*'.");
        validator.RuleFor(c => input(c).Events).Must(e => e is null || e.Count <= 100).WithMessage("events may list at most 100 types or patterns.");
        validator.RuleFor(c => input(c).RetryCount).InclusiveBetween(0, 10).WithMessage("retry_count must be between 0 and 10.");
        validator.RuleFor(c => input(c).TimeoutSeconds).InclusiveBetween(1, 300).WithMessage("timeout_seconds must be between 1 and 300.");
        validator.RuleFor(c => input(c).SignatureScheme).Must(s => s is null || OutboundSignature.Schemes.Contains(s)).WithMessage("signature_scheme must be standard, legacy or body-hmac.");
        validator.RuleFor(c => input(c).Secret).Must((c, s) => s is null || OutboundSignature.IsValidSecret(input(c).SignatureScheme, s))
            .WithMessage(c => input(c).SignatureScheme == OutboundSignature.BodyHmacScheme
                ? $"secret must be {OutboundSignature.MinBodyHmacSecretLength} to 500 characters without control characters (or leave it out to have one generated)."
                : "secret must be whsec_ followed by the base64 of 24 to 64 random bytes (or leave it out to have one generated).");
        validator.RuleFor(c => input(c).Description).MaximumLength(500);
        validator.RuleFor(c => input(c).UserAgent).Must(v => v is null || Printable(v, 200)).WithMessage("user_agent must be 1 to 200 printable ASCII characters.");
        validator.RuleFor(c => input(c).ApiVersion).Must(v => v is null || Printable(v, 100)).WithMessage("api_version must be 1 to 100 printable ASCII characters.");
        validator.RuleFor(c => input(c).RetrySchedule).Must(s => s is null || s.Count == 0 || (s.Count <= 20 && s.All(d => d is >= 1 and <= 86_400)))
            .WithMessage("retry_schedule must list 1 to 20 delays in seconds, each from 1 to 86400 ([] returns to the default schedule).");
        validator.RuleFor(c => input(c).RetryOn).Must(r => r is null || RetryOn.All.Contains(r)).WithMessage("retry_on must be retryable or any_non_2xx.");
        ApplyFilter(validator, input);
        validator.RuleFor(c => input(c).ApplicationId).Must(a => a is null || a.Length is > 0 and <= 64).WithMessage("application_id must be an application's id or uid.");
        validator.RuleFor(c => input(c).Headers).Must(h => h is null || (h.Count <= 20 && h.All(p => IsHeaderName(p.Key) && !Reserved(p.Key) && p.Value.Length <= 1000 && !p.Value.Any(char.IsControl))))
            .WithMessage("headers: at most 20 custom headers with valid names (not Content-Type, User-Agent, Host or the signature headers) and values without control characters.");
    }

    /// <summary>A filter must parse (<see cref="EventFilter.Parse"/>) and stay small; the failure names the problem.</summary>
    public static void ApplyFilter<T>(AbstractValidator<T> validator, Func<T, SubscriptionInput> input)
    {
        validator.RuleFor(c => input(c).Filter).Custom((filter, context) =>
        {
            if (filter is not { } given || SubscriptionMapping.FilterText(given) is null)
            {
                return;
            }

            if (given.GetRawText().Length > MaxFilterLength)
            {
                context.AddFailure("filter", $"filter must be at most {MaxFilterLength} characters of JSON.");
                return;
            }

            try
            {
                EventFilter.Parse(given);
            }
            catch (EventFilterException ex)
            {
                context.AddFailure("filter", "filter: " + ex.Message);
            }
        });
    }

    /// <summary>How long a filter's JSON may be: it is evaluated for every event its subscription's patterns match.</summary>
    public const int MaxFilterLength = 8 * 1024;

    private static bool Printable(string value, int max) => value.Length is > 0 && value.Length <= max && value.All(c => c is >= ' ' and <= '~');

    private static bool IsHeaderName(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static bool Reserved(string name) => name.ToLowerInvariant() is "content-type" or "content-length" or "user-agent" or "host" or "webhook-id"
        or "webhook-timestamp" or "webhook-signature" or "x-webhook-id" or "x-event-type" or "x-webhook-event" or "x-webhook-timestamp" or "x-webhook-signature" or "transfer-encoding"
        or "x-webhook-version"
        or "connection";
}
