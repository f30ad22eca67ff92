using System.Text.Json.Nodes;

namespace Webhooks.Application.Common.Json;

/// <summary>Reading provider payloads: copies of fields that may be absent, as mapped event data.</summary>
internal static class JsonFields
{
    public static JsonNode? Copy(this JsonNode? node, string name) => node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) ? value?.DeepClone() : null;

    public static JsonNode? Path(this JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(this JsonNode? node, params string[] path)
    {
        var value = node.Path(path);
        return value is JsonValue scalar ? scalar.ToString() : null;
    }
}
