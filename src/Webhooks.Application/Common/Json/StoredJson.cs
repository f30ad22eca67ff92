using System.Text.Json;

namespace Webhooks.Application.Common.Json;

/// <summary>
/// How deep stored JSON may be when it is read back. The API accepts request bodies nested up to this depth
/// (/api/v1/events), provider bodies up to 64 levels, and envelopes add their own levels around them: whatever the
/// gateway accepted and stored, every reader — the delivery worker, the dashboards, the admin API — reads at this depth.
/// </summary>
public static class StoredJson
{
    public const int MaxDepth = 256;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.General) { MaxDepth = MaxDepth };

    /// <summary>A detached element of stored JSON.</summary>
    /// <exception cref="JsonException">The text is not JSON (or deeper than <see cref="MaxDepth"/>).</exception>
    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return document.RootElement.Clone();
    }
}
