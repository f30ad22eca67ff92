using System.Text.Json.Nodes;
using Webhooks.Contracts;

namespace Webhooks.Application.Events;

/// <summary>
/// The AsyncAPI 3.0 description of what the gateway publishes: the <c>webhooks.events</c> topic exchange, a channel
/// per routing key (families with their parameters), the AMQP properties every message carries, and each payload's
/// schema — the CloudEvents envelope with the event type's <c>data</c> schema from <see cref="EventSchemas"/>.
/// </summary>
public static class AsyncApiDocument
{
    private const string AmqpBindingVersion = "0.3.0";

    public static JsonObject Build(string version)
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var schemas = new JsonObject();
        foreach (var definition in EventCatalog.All)
        {
            var id = ChannelId(definition.RoutingKey);
            var name = definition.DataType.Name;
            schemas[name] ??= EventSchemas.For(definition.DataType);
            messages[id] = Message(definition, name);

            var channel = new JsonObject
            {
                ["address"] = definition.RoutingKey,
                ["title"] = definition.RoutingKey,
                ["description"] = $"{definition.Summary} Published by: {string.Join(", ", definition.Providers)}.",
                ["messages"] = new JsonObject { [name] = Ref($"#/components/messages/{id}") },
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject
                    {
                        ["is"] = "routingKey",
                        ["exchange"] = new JsonObject
                        {
                            ["name"] = RoutingKeys.Exchange,
                            ["type"] = "topic",
                            ["durable"] = true,
                            ["autoDelete"] = false,
                            ["vhost"] = "/",
                        },
                        ["bindingVersion"] = AmqpBindingVersion,
                    },
                },
            };
            if (definition.IsFamily)
            {
                var parameters = new JsonObject();
                foreach (var parameter in Parameters(definition.RoutingKey))
                {
                    parameters[parameter] = new JsonObject { ["description"] = ParameterDescription(parameter) };
                }

                channel["parameters"] = parameters;
            }

            channels[id] = channel;
            operations["receive_" + id] = new JsonObject
            {
                ["action"] = "receive",
                ["title"] = $"Consume {definition.RoutingKey}",
                ["summary"] = $"Bind a durable queue of your own to {RoutingKeys.Exchange} with this routing key (or a pattern over it).",
                ["channel"] = Ref($"#/channels/{id}"),
                ["messages"] = new JsonArray(Ref($"#/channels/{id}/messages/{name}")),
                ["bindings"] = new JsonObject
                {
                    ["amqp"] = new JsonObject { ["deliveryMode"] = 2, ["ack"] = true, ["bindingVersion"] = AmqpBindingVersion },
                },
            };
        }

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["id"] = "urn:webhooks:events",
            ["info"] = new JsonObject
            {
                ["title"] = "Webhooks gateway events",
                ["version"] = version,
                ["description"] = "Verified webhooks, mapped to domain events and published to RabbitMQ as CloudEvents 1.0 "
                    + "(structured JSON mode) with publisher confirms, at least once. The AMQP message_id equals the CloudEvent id "
                    + "on every re-publish of an event: de-duplicate on it. evt.webhook.* are provider-mapped events, "
                    + "evt.source.{source}.* generic senders' own types, evt.gateway.* the gateway's operational events.",
            },
            ["defaultContentType"] = CloudEvent<object>.ContentType,
            ["servers"] = new JsonObject
            {
                ["rabbitmq"] = new JsonObject
                {
                    ["host"] = "rabbitmq:5672",
                    ["protocol"] = "amqp",
                    ["protocolVersion"] = "0.9.1",
                    ["description"] = "The broker named by the gateway's ConnectionStrings:RabbitMq.",
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["messages"] = messages,
                ["schemas"] = schemas,
                ["messageTraits"] = new JsonObject { ["amqpProperties"] = AmqpProperties() },
            },
        };
    }

    /// <summary>Channel and message ids admit letters, digits, '-' and '_' only.</summary>
    public static string ChannelId(string routingKey) =>
        new(routingKey.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal).Select(c => c == '.' ? '_' : c).ToArray());

    private static JsonObject Message(EventDefinition definition, string name) => new()
    {
        ["name"] = name,
        ["title"] = definition.RoutingKey,
        ["summary"] = definition.Summary,
        ["contentType"] = CloudEvent<object>.ContentType,
        ["traits"] = new JsonArray(Ref("#/components/messageTraits/amqpProperties")),
        ["payload"] = Envelope(definition, name),
        ["bindings"] = new JsonObject
        {
            ["amqp"] = new JsonObject { ["messageType"] = definition.RoutingKey, ["bindingVersion"] = AmqpBindingVersion },
        },
    };

    /// <summary>The CloudEvents structured-mode envelope around the type's data.</summary>
    private static JsonObject Envelope(EventDefinition definition, string name)
    {
        var type = definition.IsFamily
            ? new JsonObject { ["type"] = "string", ["pattern"] = "^" + System.Text.RegularExpressions.Regex.Escape(definition.Prefix) }
            : new JsonObject { ["const"] = definition.RoutingKey };
        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("specversion", "id", "source", "type", "time", "datacontenttype", "data"),
            ["properties"] = new JsonObject
            {
                ["specversion"] = new JsonObject { ["const"] = "1.0" },
                ["id"] = Text("The event id, also the AMQP message_id; unchanged on every re-publish."),
                ["source"] = Text("/webhooks/{source}, or /subscriptions/{id} for the gateway's subscription events."),
                ["type"] = type,
                ["time"] = Time("When the gateway received the webhook."),
                ["subject"] = Text("The provider's resource id where known (the order id, the payment id…)."),
                ["datacontenttype"] = new JsonObject { ["const"] = "application/json" },
                ["data"] = Ref($"#/components/schemas/{name}"),
                ["inboxid"] = Text("The inbox row the event came from."),
                ["provider"] = Text("The source's provider: tells apart events two providers map to one type."),
                ["topic"] = Text("The provider's own topic or event name."),
                ["providertime"] = Time("When the provider says the event occurred, where it sends such a time."),
                ["correlationid"] = Text("Also the AMQP correlation_id."),
                ["traceparent"] = Text("W3C trace context continuing the ingest trace."),
                ["backfilled"] = new JsonObject
                {
                    ["type"] = "boolean",
                    ["const"] = true,
                    ["description"] = "Present (true) when a backfill recovered the webhook from the provider's API instead of receiving it.",
                },
            },
        };
    }

    private static JsonObject AmqpProperties() => new()
    {
        ["summary"] = "AMQP basic properties of every message.",
        ["headers"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "AMQP basic properties (not application headers).",
            ["properties"] = new JsonObject
            {
                ["message_id"] = Text("The CloudEvent id, the same on every re-publish of the event: de-duplicate on it."),
                ["correlation_id"] = Text("The CloudEvent correlationid."),
                ["type"] = Text("The event type (the routing key)."),
                ["content_type"] = new JsonObject { ["const"] = CloudEvent<object>.ContentType },
                ["delivery_mode"] = new JsonObject { ["const"] = 2, ["description"] = "Persistent." },
            },
        },
        ["correlationId"] = new JsonObject { ["location"] = "$message.payload#/correlationid" },
    };

    private static IEnumerable<string> Parameters(string routingKey) =>
        routingKey.Split('{').Skip(1).Select(part => part[..part.IndexOf('}', StringComparison.Ordinal)]);

    private static string ParameterDescription(string parameter) => parameter switch
    {
        "action" => "GitHub's action: opened, closed, reopened, synchronize, edited…",
        "source" => "The source's name (its URL segment).",
        "type" => "The event type as its sender names it (may hold dots).",
        _ => parameter,
    };

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };

    private static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };

    private static JsonObject Time(string description) => new() { ["type"] = "string", ["format"] = "date-time", ["description"] = description };
}
