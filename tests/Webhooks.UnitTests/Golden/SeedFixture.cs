using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;

namespace Webhooks.Tests.Golden;

/// <summary>
/// One mapping of seed 000 or seed 002, as stored in Golden/Fixtures: the provider's request (headers and a JSON body or
/// form fields), the routing key the seed published it under, the <c>data</c> its mapper made of it, and for some the
/// seed's lifecycle events. Shared by the unit golden tests (the mappers) and the broker golden tests (the running
/// gateway on PostgreSQL and RabbitMQ), so both pin the same fields.
/// </summary>
internal sealed record SeedFixture(
    string Mapping, string Seed, string Provider, Dictionary<string, string> Headers, JsonNode? Body, Dictionary<string, string>? Form,
    string Event, JsonNode Expected, Dictionary<string, JsonNode?>? Lifecycle)
{
    private static readonly JsonSerializerOptions FixtureJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Every fixture beside the test assembly, by mapping name.</summary>
    public static Dictionary<string, SeedFixture> LoadAll() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden", "Fixtures"), "*.json")
            .Select(path => JsonSerializer.Deserialize<SeedFixture>(File.ReadAllText(path), FixtureJson)!)
            .ToDictionary(f => f.Mapping, StringComparer.Ordinal);

    public string ContentType => Form is null ? "application/json" : "application/x-www-form-urlencoded";

    /// <summary>The raw bytes the provider sends: the JSON body, or the form fields URL-encoded in their order.</summary>
    public byte[] RawBody() => Form is { } form
        ? Encoding.UTF8.GetBytes(string.Join('&', form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")))
        : Encoding.UTF8.GetBytes(Body!.ToJsonString());

    /// <summary>Every scalar (and empty container) under a node, with its path such as <c>items[1].item_id</c>.</summary>
    public static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode? node, string path = "") => node switch
    {
        JsonObject obj when obj.Count > 0 => obj.SelectMany(p => Leaves(p.Value, path.Length == 0 ? p.Key : $"{path}.{p.Key}")),
        JsonArray array when array.Count > 0 && array.All(e => e is JsonObject) => array.SelectMany((e, i) => Leaves(e, $"{path}[{i}]")),
        _ => [(path, node)],
    };

    /// <summary>The node at a path such as <c>items[1].item_id</c>; a missing member fails (absent is not null).</summary>
    public static JsonNode? Find(JsonNode? root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture);
            }

            var container = node as JsonObject;
            container.Should().NotBeNull($"{path}: {name} sits in an object");
            container!.ContainsKey(name).Should().BeTrue($"the field {path} is published (missing: {name})");
            node = container[name];
            if (index is { } i)
            {
                var array = node as JsonArray;
                array.Should().NotBeNull($"{path}: {name} is an array");
                array!.Count.Should().BeGreaterThan(i, $"{path}: {name} has an element {i}");
                node = array[i];
            }
        }

        return node;
    }

    /// <summary>
    /// The published field has the seed's name, JSON type and value. <c>&lt;time&gt;</c> stands for any date-time string
    /// (the seeds wrote their processing time), <c>&lt;inbox id&gt;</c> for the stored webhook's id.
    /// </summary>
    public static void AssertField(JsonNode? expected, JsonNode? actual, string field, string mapping, string? inboxId)
    {
        var because = $"{mapping} publishes {field} as the seed did";
        if (expected is JsonValue marker && marker.TryGetValue<string>(out var text) && text is "<time>" or "<inbox id>")
        {
            actual.Should().NotBeNull(because);
            actual!.GetValueKind().Should().Be(JsonValueKind.String, because);
            if (text == "<time>")
            {
                DateTimeOffset.TryParse(actual.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _).Should().BeTrue(because + " (a date-time)");
            }
            else
            {
                actual.GetValue<string>().Should().Be(inboxId, because);
            }

            return;
        }

        if (expected is null)
        {
            (actual is null).Should().BeTrue($"{because}: null (the field is present, and null)");
            return;
        }

        actual.Should().NotBeNull(because);
        var bothBooleans = expected.GetValueKind() is JsonValueKind.True or JsonValueKind.False && actual!.GetValueKind() is JsonValueKind.True or JsonValueKind.False;
        actual!.GetValueKind().Should().Be(bothBooleans ? actual.GetValueKind() : expected.GetValueKind(), because);
        if (expected.GetValueKind() == JsonValueKind.Number)
        {
            actual.GetValue<decimal>().Should().Be(expected.GetValue<decimal>(), because);
        }
        else
        {
            JsonNode.DeepEquals(actual, expected).Should().BeTrue($"{because}: expected {expected.ToJsonString()}, published {actual.ToJsonString()}");
        }
    }
}
