using System.Net.Mime;
using System.Text;
using MassTransit;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>A CloudEvent already serialized when it entered the outbox; published byte for byte, no MassTransit envelope.</summary>
internal sealed record PreSerializedCloudEvent(string Json);

/// <summary>Writes <see cref="PreSerializedCloudEvent"/> as its own JSON with content type application/cloudevents+json.</summary>
internal sealed class PreSerializedBodySerializer : IMessageSerializer
{
    public static readonly PreSerializedBodySerializer Instance = new();

    public ContentType ContentType { get; } = new("application/cloudevents+json");

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class =>
        context.Message is PreSerializedCloudEvent cloudEvent
            ? new BytesMessageBody(Encoding.UTF8.GetBytes(cloudEvent.Json))
            : throw new InvalidOperationException($"Only {nameof(PreSerializedCloudEvent)} is written by this serializer.");
}
