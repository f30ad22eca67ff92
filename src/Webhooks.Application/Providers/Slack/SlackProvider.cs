using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Slack;

/// <summary>
/// Slack's Events API (JSON: the url_verification handshake is answered with its challenge and not stored;
/// event_callback → evt.webhook.slack.{event.type}), slash commands and interactivity (form-encoded, the latter
/// with its JSON in "payload").
/// </summary>
public sealed class SlackProvider : IWebhookProvider
{
    public ProviderKind Kind => ProviderKind.Slack;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => SlackSignature.Verify(request, source, now);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var bodyHash = Signatures.BodyKey(request.Body);
        if (FormBody.IsForm(request.ContentType))
        {
            var form = FormBody.ToJson(FormBody.Parse(request.Body));
            if (form.Text("payload") is { } payloadText)
            {
                var payload = ParseObject(payloadText);
                var kind = payload.Text("type") ?? "interaction";
                return new WebhookInterpretation(kind, bodyHash, payload, []).Mapped(() => ContractEvents.FamilyEvent(new SlackActivity
                {
                    TeamId = payload.Text("team", "id"),
                    ApiAppId = payload.Text("api_app_id"),
                    Event = JsonSerializer.SerializeToElement(payload, ContractEvents.Options),
                }, payload.Text("trigger_id"), kind));
            }

            return new WebhookInterpretation("slash_command", bodyHash, form,
                [ContractEvents.Event(new SlackSlashCommand
                {
                    Command = form.Text("command"),
                    Text = form.Text("text"),
                    TeamId = form.Text("team_id"),
                    ChannelId = form.Text("channel_id"),
                    UserId = form.Text("user_id"),
                    ResponseUrl = form.Text("response_url"),
                }, form.Text("command"))]);
        }

        var body = Signatures.ParseJsonObject(request.Body);
        var type = body.Text("type");
        if (type == "url_verification")
        {
            var challenge = body.Text("challenge") ?? throw new MalformedWebhookException("url_verification without a challenge.");
            return new WebhookInterpretation(type, bodyHash, body, [])
            {
                ImmediateResponse = JsonSerializer.Serialize(new { challenge }),
                StoreAndPublish = false,
            };
        }

        var key = body.Text("event_id") ?? bodyHash;
        if (type == "event_callback" && body.Text("event", "type") is { } eventType)
        {
            var slackEvent = body.Path("event")!;
            var activity = new SlackActivity
            {
                TeamId = body.Text("team_id"),
                ApiAppId = body.Text("api_app_id"),
                EventId = body.Text("event_id"),
                EventTime = body.Long("event_time"),
                Event = JsonSerializer.SerializeToElement(slackEvent, ContractEvents.Options),
            };
            return new WebhookInterpretation(eventType, key, body, []) { ProviderTime = body.UnixTime("event_time") }
                .Mapped(() => ContractEvents.FamilyEvent(activity, slackEvent.Text("channel") ?? body.Text("team_id"), eventType));
        }

        return new WebhookInterpretation(type, key, body, []);
    }

    private static JsonObject ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new MalformedWebhookException("The payload field is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new MalformedWebhookException($"The payload field is not valid JSON: {ex.Message}");
        }
    }
}
