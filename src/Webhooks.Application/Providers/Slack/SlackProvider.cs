using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Slack;

/// <summary>
/// Slack's Events API (JSON: the url_verification handshake is answered with its challenge and not stored;
/// event_callback → evt.webhook.slack.{event.type}), slash commands and interactivity (form-encoded, the latter
/// with its JSON in "payload").
/// </summary>
internal sealed class SlackProvider : IWebhookProvider
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
                return new WebhookInterpretation(kind, bodyHash, payload, [new MappedEvent(EventTypes.FromSender("slack." + kind), payload.Text("trigger_id"), payload.DeepClone().AsObject())]);
            }

            return new WebhookInterpretation("slash_command", bodyHash, form,
                [new MappedEvent("evt.webhook.slack.slash_command", form.Text("command"), new JsonObject
                {
                    ["command"] = form.Copy("command"),
                    ["text"] = form.Copy("text"),
                    ["team_id"] = form.Copy("team_id"),
                    ["channel_id"] = form.Copy("channel_id"),
                    ["user_id"] = form.Copy("user_id"),
                    ["response_url"] = form.Copy("response_url"),
                })]);
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
            var data = new JsonObject
            {
                ["team_id"] = body.Copy("team_id"),
                ["api_app_id"] = body.Copy("api_app_id"),
                ["event_id"] = body.Copy("event_id"),
                ["event_time"] = body.Copy("event_time"),
                ["event"] = slackEvent.DeepClone(),
            };
            return new WebhookInterpretation(eventType, key, body, [new MappedEvent(EventTypes.FromSender("slack." + eventType), slackEvent.Text("channel") ?? body.Text("team_id"), data)]);
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
