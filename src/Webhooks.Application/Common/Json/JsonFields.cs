using System.Text.Json.Nodes;

namespace Webhooks.Application.Common.Json;

/// <summary>Reading provider payloads: copies of fields that may be absent, as mapped event data.</summary>
internal static class JsonFields
{
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

    /// <summary>A whole number, whether sent as a number or as text.</summary>
    public static long? Long(this JsonNode? node, params string[] path) =>
        node.Path(path) is JsonValue value && (value.TryGetValue<long>(out var number) || (value.TryGetValue<string>(out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out number)))
            ? number
            : null;

    /// <summary>A decimal number, whether sent as a number or as text ("199.00").</summary>
    public static decimal? Decimal(this JsonNode? node, params string[] path) =>
        node.Path(path) is JsonValue value && (value.TryGetValue<decimal>(out var number)
            || (value.TryGetValue<string>(out var text) && decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out number)))
            ? number
            : null;

    /// <summary>The node itself, detached, as a JSON element (a provider's object carried whole).</summary>
    public static System.Text.Json.JsonElement? Element(this JsonNode? node, params string[] path) =>
        node.Path(path) is { } value ? System.Text.Json.JsonSerializer.SerializeToElement(value, Common.Json.StoredJson.SerializerOptions) : null;

    public static bool? Bool(this JsonNode? node, params string[] path) => node.Path(path) is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    /// <summary>Seconds since the Unix epoch as a time.</summary>
    public static DateTimeOffset? UnixTime(this JsonNode? node, params string[] path) =>
        node.Long(path) is { } seconds && seconds >= MinUnixSeconds && seconds <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>An array's scalars as text (ids as strings), or of each element's field when one is named.</summary>
    public static List<string> Texts(this JsonNode? node, string array, string? field = null) =>
        node.Path(array) is JsonArray items
            ? items.Select(item => field is null ? item.Text() : item.Text(field)).OfType<string>().ToList()
            : [];
}
