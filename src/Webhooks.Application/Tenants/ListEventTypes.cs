using System.Text.Json;
using System.Text.Json.Nodes;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Json;

namespace Webhooks.Application.Tenants;

/// <summary>
/// The event types an application has been sent (its catalog, for its portal): each with how often it was published in
/// the last 30 days, its latest example and the JSON Schema that example has — what a receiver can code against.
/// </summary>
public sealed record ListEventTypes(string Application) : IRequest<IReadOnlyList<EventTypeView>>, IApplicationScoped;

public sealed record EventTypeView(string Type, int Count, DateTimeOffset LastSeen, JsonElement Example, JsonElement Schema);

internal sealed class ListEventTypesHandler(IWebhooksDbContext db, ApplicationScope scope, TimeProvider clock) : IRequestHandler<ListEventTypes, IReadOnlyList<EventTypeView>>
{
    public async Task<IReadOnlyList<EventTypeView>> Handle(ListEventTypes query, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddDays(-30);
        var application = scope.Id;
        var types = await db.DeliveryEvents.AsNoTracking()
            .Where(e => e.ApplicationId == application && e.CreatedAt >= since)
            .GroupBy(e => e.Type)
            .Select(g => new { Type = g.Key, Count = g.Count(), LastSeen = g.Max(e => e.CreatedAt) })
            .OrderBy(t => t.Type)
            .Take(200)
            .ToListAsync(cancellationToken);
        var views = new List<EventTypeView>(types.Count);
        foreach (var type in types)
        {
            var example = await db.DeliveryEvents.AsNoTracking()
                .Where(e => e.ApplicationId == application && e.Type == type.Type)
                .OrderByDescending(e => e.CreatedAt).Select(e => e.Data).FirstAsync(cancellationToken);
            var data = StoredJson.Element(example);
            views.Add(new EventTypeView(type.Type, type.Count, type.LastSeen, data, JsonSerializer.SerializeToElement(SchemaOf(data))));
        }

        return views;
    }

    /// <summary>How deep a schema describes its example; below, objects and arrays are named without their members.</summary>
    internal const int SchemaDepth = 12;

    /// <summary>The JSON Schema (2020-12 vocabulary) of one value: its types, and its properties' and items' schemas.</summary>
    internal static JsonObject SchemaOf(JsonElement value, int depth = 0) => value.ValueKind switch
    {
        JsonValueKind.Object when depth >= SchemaDepth => new JsonObject { ["type"] = "object" },
        JsonValueKind.Array when depth >= SchemaDepth => new JsonObject { ["type"] = "array" },
        JsonValueKind.Object => new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(value.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (JsonNode?)SchemaOf(p.Value, depth + 1)))),
        },
        JsonValueKind.Array => value.GetArrayLength() > 0
            ? new JsonObject { ["type"] = "array", ["items"] = SchemaOf(value[0], depth + 1) }
            : new JsonObject { ["type"] = "array" },
        JsonValueKind.String => new JsonObject { ["type"] = "string" },
        JsonValueKind.Number => new JsonObject { ["type"] = value.TryGetInt64(out _) ? "integer" : "number" },
        JsonValueKind.True or JsonValueKind.False => new JsonObject { ["type"] = "boolean" },
        _ => new JsonObject { ["type"] = "null" },
    };
}
