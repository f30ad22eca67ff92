using System.Text.Json.Nodes;
using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Events;

/// <summary>The JSON Schema of one event type's data (a routing key, or a family's template).</summary>
public sealed record GetEventSchema(string Type) : IRequest<JsonObject>;

/// <summary>The AsyncAPI 3.0 document of the events exchange.</summary>
public sealed record GetAsyncApiDocument : IRequest<JsonObject>;

internal sealed class EventDocumentHandlers : IRequestHandler<GetEventSchema, JsonObject>, IRequestHandler<GetAsyncApiDocument, JsonObject>
{
    private static readonly string Version = typeof(EventDocumentHandlers).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    /// <summary>Built once per process: it describes the code, and anonymous callers must not make us build it each time.</summary>
    private static readonly Lazy<JsonObject> AsyncApi = new(() => AsyncApiDocument.Build(Version));

    public Task<JsonObject> Handle(GetEventSchema query, CancellationToken cancellationToken) =>
        Task.FromResult(EventSchemas.Find(query.Type) is { } definition
            ? EventSchemas.Document(definition)
            : throw new NotFoundException("Event type", query.Type));

    // A copy: the caller may serialise it while another request does too.
    public Task<JsonObject> Handle(GetAsyncApiDocument query, CancellationToken cancellationToken) => Task.FromResult(AsyncApi.Value.DeepClone().AsObject());
}
