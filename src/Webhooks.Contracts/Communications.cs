using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webhooks.Contracts;

/// <summary>Fields of Twilio's callbacks (seed 002: provider and timestamp).</summary>
public abstract record TwilioCallback : EventData
{
    /// <summary>twilio, as seed 002 spells it.</summary>
    [JsonPropertyName("provider")] public string Provider { get; init; } = "twilio";

    /// <summary>When the gateway received the callback (seed 002's processing time).</summary>
    [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>A Twilio message status callback (<c>evt.webhook.sms.status_update</c>, seed 002's name).</summary>
public sealed record SmsStatusUpdated : TwilioCallback
{
    [JsonPropertyName("message_sid")] public string? MessageSid { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("to")] public string? To { get; init; }

    [JsonPropertyName("from")] public string? From { get; init; }

    [JsonPropertyName("account_sid")] public string? AccountSid { get; init; }

    [JsonPropertyName("error_code")] public string? ErrorCode { get; init; }

    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }
}

/// <summary>A Twilio call status callback (<c>evt.webhook.call.status_update</c>); <c>duration</c> in seconds, as Twilio sends it.</summary>
public sealed record CallStatusUpdated : TwilioCallback
{
    [JsonPropertyName("call_sid")] public string? CallSid { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("to")] public string? To { get; init; }

    [JsonPropertyName("from")] public string? From { get; init; }

    [JsonPropertyName("direction")] public string? Direction { get; init; }

    [JsonPropertyName("duration")] public string? Duration { get; init; }

    [JsonPropertyName("account_sid")] public string? AccountSid { get; init; }

    [JsonPropertyName("error_code")] public string? ErrorCode { get; init; }

    [JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }
}

/// <summary>A Slack slash command.</summary>
public sealed record SlackSlashCommand : EventData
{
    [JsonPropertyName("command")] public string? Command { get; init; }

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("team_id")] public string? TeamId { get; init; }

    [JsonPropertyName("channel_id")] public string? ChannelId { get; init; }

    [JsonPropertyName("user_id")] public string? UserId { get; init; }

    [JsonPropertyName("response_url")] public string? ResponseUrl { get; init; }
}

/// <summary>
/// A Slack Events API event or interaction, published as <c>evt.webhook.slack.{type}</c>; <c>event</c> is Slack's
/// own object (the event, or the interaction payload), whose shape Slack defines per type.
/// </summary>
public sealed record SlackActivity : EventData
{
    [JsonPropertyName("team_id")] public string? TeamId { get; init; }

    [JsonPropertyName("api_app_id")] public string? ApiAppId { get; init; }

    [JsonPropertyName("event_id")] public string? EventId { get; init; }

    [JsonPropertyName("event_time")] public long? EventTime { get; init; }

    [JsonPropertyName("event")] public JsonElement? Event { get; init; }
}
