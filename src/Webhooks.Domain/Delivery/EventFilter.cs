using System.Globalization;
using System.Text.Json;

namespace Webhooks.Domain.Delivery;

/// <summary>
/// A subscription's filter on what an event carries (contract v3): a JSON object evaluated against the event
/// <c>{"type", "data"}</c>. Keys are dot paths (<c>data.amount</c>, <c>data.customer.country</c>, <c>data.items.0.sku</c>);
/// a value is a literal (equality) or an operator object — <c>$eq $ne $gt $gte $lt $lte $in $nin $exists $startsWith</c>
/// — and filters combine with <c>$and</c>, <c>$or</c>, <c>$not</c>; the keys of one object must all hold. A missing path
/// matches only <c>{"$exists": false}</c>. Values of different JSON types never compare equal or ordered
/// (<c>"1000"</c> is not <c>1000</c>). <see cref="Parse"/> refuses anything else, naming the problem.
/// </summary>
public sealed class EventFilter
{
    /// <summary>How deep filters may nest, and how many conditions one may hold: a filter is evaluated for every event.</summary>
    public const int MaxDepth = 8;

    public const int MaxConditions = 64;

    /// <summary>
    /// How deep the filter's JSON may nest in all, values included (each combinator level takes two: the array and
    /// the object in it): well within what every reader of a stored filter accepts.
    /// </summary>
    public const int MaxJsonDepth = 24;

    private readonly Condition root;

    private EventFilter(Condition root) => this.root = root;

    /// <exception cref="EventFilterException">The filter is not valid; the message says where and why.</exception>
    public static EventFilter Parse(JsonElement filter)
    {
        if (DepthOf(filter, 1) > MaxJsonDepth)
        {
            throw new EventFilterException($"the filter nests deeper than {MaxJsonDepth} levels of JSON (values included).");
        }

        var count = 0;
        return new EventFilter(ParseObject(filter, "filter", 0, ref count));
    }

    /// <summary>Whether the event of this type and data passes the filter.</summary>
    public bool Matches(string type, JsonElement data) => root.Holds(type, data);

    private static All ParseObject(JsonElement filter, string where, int depth, ref int count)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw new EventFilterException($"{where} must be a JSON object.");
        }

        if (depth > MaxDepth)
        {
            throw new EventFilterException($"{where} nests deeper than {MaxDepth} levels.");
        }

        var all = new List<Condition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in filter.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                // Stored as jsonb, which keeps the last of equal keys: what was checked must be what is kept.
                throw new EventFilterException($"'{property.Name}' appears twice in {where} (combine conditions on one path with $and).");
            }

            if (++count > MaxConditions)
            {
                throw new EventFilterException($"the filter has more than {MaxConditions} conditions.");
            }

            all.Add(property.Name switch
            {
                "$and" or "$or" => Combine(property, where, depth, ref count),
                "$not" => new Not(ParseObject(property.Value, $"{where}.$not", depth + 1, ref count)),
                _ when property.Name.StartsWith('$') => throw new EventFilterException(
                    $"unknown combinator '{property.Name}' in {where} (use $and, $or, $not; operators such as $eq go under a path)."),
                _ => Field(property.Name, property.Value),
            });
        }

        return new All(all);
    }

    /// <summary>How deep <paramref name="value"/> nests, stopping as soon as it is past the limit.</summary>
    private static int DepthOf(JsonElement value, int depth)
    {
        if (depth > MaxJsonDepth)
        {
            return depth;
        }

        var deepest = depth;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                deepest = Math.Max(deepest, DepthOf(property.Value, depth + 1));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                deepest = Math.Max(deepest, DepthOf(item, depth + 1));
            }
        }

        return deepest;
    }

    private static Combined Combine(JsonProperty property, string where, int depth, ref int count)
    {
        if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
        {
            throw new EventFilterException($"{property.Name} in {where} must be a non-empty array of filters.");
        }

        var parts = new List<Condition>();
        var index = 0;
        foreach (var item in property.Value.EnumerateArray())
        {
            parts.Add(ParseObject(item, $"{where}.{property.Name}[{index++}]", depth + 1, ref count));
        }

        return new Combined(property.Name == "$or", parts);
    }

    private static FieldCondition Field(string path, JsonElement value)
    {
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0) || segments[0] is not ("type" or "data") || (segments[0] == "type" && segments.Length > 1))
        {
            throw new EventFilterException($"'{path}' is not a path into the event: use 'type', 'data' or 'data.<field>…'.");
        }

        var operators = value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any(p => p.Name.StartsWith('$'));
        if (!operators)
        {
            return new FieldCondition(path, segments, [new Operation("$eq", value.Clone())]);
        }

        var operations = new List<Operation>();
        foreach (var operation in value.EnumerateObject())
        {
            var operand = operation.Value;
            var problem = operation.Name switch
            {
                "$eq" or "$ne" => null,
                "$gt" or "$gte" or "$lt" or "$lte" => operand.ValueKind is JsonValueKind.Number or JsonValueKind.String ? null : "takes a number or a string",
                "$in" or "$nin" => operand.ValueKind == JsonValueKind.Array ? null : "takes an array of values",
                "$exists" => operand.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "takes true or false",
                "$startsWith" => operand.ValueKind == JsonValueKind.String ? null : "takes a string",
                _ when operation.Name.StartsWith('$') => "is not an operator (use $eq $ne $gt $gte $lt $lte $in $nin $exists $startsWith)",
                _ => "cannot be mixed with operators in one object",
            };
            if (problem is not null)
            {
                throw new EventFilterException($"'{operation.Name}' at '{path}' {problem}.");
            }

            operations.Add(new Operation(operation.Name, operand.Clone()));
        }

        return new FieldCondition(path, segments, operations);
    }

    private abstract record Condition
    {
        public abstract bool Holds(string type, JsonElement data);
    }

    private sealed record All(IReadOnlyList<Condition> Parts) : Condition
    {
        public override bool Holds(string type, JsonElement data) => Parts.All(p => p.Holds(type, data));
    }

    private sealed record Combined(bool Any, IReadOnlyList<Condition> Parts) : Condition
    {
        public override bool Holds(string type, JsonElement data) => Any ? Parts.Any(p => p.Holds(type, data)) : Parts.All(p => p.Holds(type, data));
    }

    private sealed record Not(Condition Part) : Condition
    {
        public override bool Holds(string type, JsonElement data) => !Part.Holds(type, data);
    }

    private sealed record Operation(string Name, JsonElement Operand);

    private sealed record FieldCondition(string Path, string[] Segments, IReadOnlyList<Operation> Operations) : Condition
    {
        public override bool Holds(string type, JsonElement data)
        {
            var found = Resolve(type, data, out var value);
            foreach (var operation in Operations)
            {
                var holds = operation.Name == "$exists"
                    ? found == (operation.Operand.ValueKind == JsonValueKind.True)
                    : found && Apply(operation, value);
                if (!holds)
                {
                    return false;
                }
            }

            return true;
        }

        private bool Resolve(string type, JsonElement data, out JsonElement value)
        {
            value = default;
            if (Segments[0] == "type")
            {
                using var document = JsonDocument.Parse(JsonSerializer.Serialize(type));
                value = document.RootElement.Clone();
                return true;
            }

            var current = data;
            foreach (var segment in Segments.Skip(1))
            {
                if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
                {
                    current = child;
                }
                else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                         && index < current.GetArrayLength())
                {
                    current = current[index];
                }
                else
                {
                    return false;
                }
            }

            value = current;
            return current.ValueKind != JsonValueKind.Undefined;
        }

        private static bool Apply(Operation operation, JsonElement value) => operation.Name switch
        {
            "$eq" => JsonValues.Equal(value, operation.Operand),
            "$ne" => !JsonValues.Equal(value, operation.Operand),
            "$gt" => JsonValues.Compare(value, operation.Operand) is > 0,
            "$gte" => JsonValues.Compare(value, operation.Operand) is >= 0,
            "$lt" => JsonValues.Compare(value, operation.Operand) is < 0,
            "$lte" => JsonValues.Compare(value, operation.Operand) is <= 0,
            "$in" => operation.Operand.EnumerateArray().Any(candidate => JsonValues.Equal(value, candidate)),
            "$nin" => !operation.Operand.EnumerateArray().Any(candidate => JsonValues.Equal(value, candidate)),
            "$startsWith" => value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(operation.Operand.GetString()!, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>Equality and order of JSON values of the same kind; values of different kinds never compare.</summary>
    private static class JsonValues
    {
        public static bool Equal(JsonElement a, JsonElement b) => Kind(a) == Kind(b) && JsonElement.DeepEquals(a, b);

        /// <returns>The order of two numbers or two strings (ordinal), else null.</returns>
        public static int? Compare(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x.CompareTo(y) : a.GetDouble().CompareTo(b.GetDouble()),
            (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(a.GetString(), b.GetString()),
            _ => null,
        };

        private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;
    }
}
