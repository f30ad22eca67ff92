using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Webhooks.Contracts;

namespace Webhooks.Application.Events;

/// <summary>
/// The JSON Schema (draft 2020-12) of each event type's <c>data</c>, generated from its record in Webhooks.Contracts,
/// so the schema, the consumers' types and the mapped payloads are one definition. Objects admit no properties
/// beyond their record's: a field the mapping adds without the record fails validation.
/// </summary>
public static class EventSchemas
{
    public const string ContentType = "application/schema+json";
    public const string Dialect = "https://json-schema.org/draft/2020-12/schema";

    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static readonly FrozenDictionary<Type, JsonObject> ByType = EventCatalog.All
        .Select(d => d.DataType).Distinct()
        .ToFrozenDictionary(t => t, Generate);

    /// <summary>The definition of an event type: a concrete routing key, or a family's template.</summary>
    public static EventDefinition? Find(string type) =>
        EventCatalog.All.FirstOrDefault(d => d.RoutingKey == type) ?? EventCatalog.Find(type);

    /// <summary>A fresh copy of the data schema of a record (callers may change it).</summary>
    public static JsonObject For(Type dataType) => ByType[dataType].DeepClone().AsObject();

    /// <summary>The stand-alone document served for one event type.</summary>
    public static JsonObject Document(EventDefinition definition)
    {
        var schema = For(definition.DataType);
        schema.Insert(0, "$schema", Dialect);
        schema.Insert(1, "title", definition.DataType.Name);
        schema.Insert(2, "description", $"data of {definition.RoutingKey}: {definition.Summary}");
        return schema;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly();
        return options;
    }

    private static JsonObject Generate(Type type) => JsonSchemaExporter.GetJsonSchemaAsNode(Options, type, new JsonSchemaExporterOptions
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, node) =>
        {
            if (node is JsonObject schema && schema.ContainsKey("properties") && !schema.ContainsKey("additionalProperties")
                && context.TypeInfo.Kind == JsonTypeInfoKind.Object && context.TypeInfo.Properties.All(p => !p.IsExtensionData))
            {
                schema["additionalProperties"] = false;
            }

            return node;
        },
    }).AsObject();
}
