using System.Text.Json;
using FluentAssertions;
using Webhooks.Domain.Delivery;

namespace Webhooks.UnitTests.Domain;

/// <summary>The filter language of contract v3, operator by operator, and the filters it refuses.</summary>
public sealed class EventFilterTests
{
    private const string Data = """
        {"amount": 1500, "currency": "usd", "code": "1000", "paid": true, "note": null,
         "customer": {"country": "NL", "tier": "gold"}, "items": [{"sku": "A-1"}, {"sku": "B-2"}], "tags": ["x", "y"]}
        """;

    [Theory]
    [InlineData("""{"data.currency": "usd"}""", true)]
    [InlineData("""{"data.currency": "eur"}""", false)]
    [InlineData("""{"type": "order.paid"}""", true)]
    [InlineData("""{"type": {"$startsWith": "order."}}""", true)]
    [InlineData("""{"type": {"$startsWith": "invoice."}}""", false)]
    [InlineData("""{"data.amount": {"$eq": 1500}}""", true)]
    [InlineData("""{"data.amount": {"$eq": 1500.0}}""", true)]
    [InlineData("""{"data.amount": {"$ne": 1500}}""", false)]
    [InlineData("""{"data.amount": {"$ne": 99}}""", true)]
    [InlineData("""{"data.amount": {"$gt": 1000}}""", true)]
    [InlineData("""{"data.amount": {"$gt": 1500}}""", false)]
    [InlineData("""{"data.amount": {"$gte": 1500}}""", true)]
    [InlineData("""{"data.amount": {"$lt": 1500}}""", false)]
    [InlineData("""{"data.amount": {"$lte": 1500}}""", true)]
    [InlineData("""{"data.amount": {"$gte": 1000, "$lt": 2000}}""", true)]
    [InlineData("""{"data.currency": {"$gt": "eur"}}""", true)]
    [InlineData("""{"data.currency": {"$in": ["eur", "usd"]}}""", true)]
    [InlineData("""{"data.currency": {"$in": ["eur", "gbp"]}}""", false)]
    [InlineData("""{"data.currency": {"$nin": ["eur", "gbp"]}}""", true)]
    [InlineData("""{"data.currency": {"$nin": ["usd"]}}""", false)]
    [InlineData("""{"data.customer.country": "NL"}""", true)]
    [InlineData("""{"data.customer": {"country": "NL", "tier": "gold"}}""", true)]
    [InlineData("""{"data.items.1.sku": "B-2"}""", true)]
    [InlineData("""{"data.tags": ["x", "y"]}""", true)]
    [InlineData("""{"data.paid": true}""", true)]
    [InlineData("""{"data.note": null}""", true)]
    [InlineData("""{"data.note": {"$exists": true}}""", true)]
    [InlineData("""{"data.missing": {"$exists": false}}""", true)]
    [InlineData("""{"data.missing": {"$exists": true}}""", false)]
    [InlineData("""{"data.amount": {"$exists": false}}""", false)]
    [InlineData("""{"$and": [{"data.currency": "usd"}, {"data.amount": {"$gt": 1000}}]}""", true)]
    [InlineData("""{"$and": [{"data.currency": "usd"}, {"data.amount": {"$gt": 9000}}]}""", false)]
    [InlineData("""{"$or": [{"data.currency": "eur"}, {"data.amount": {"$gt": 1000}}]}""", true)]
    [InlineData("""{"$or": [{"data.currency": "eur"}, {"data.amount": {"$gt": 9000}}]}""", false)]
    [InlineData("""{"$not": {"data.currency": "eur"}}""", true)]
    [InlineData("""{"$not": {"data.currency": "usd"}}""", false)]
    [InlineData("""{"data.currency": "usd", "data.customer.tier": "silver"}""", false)]
    public void AFilter_PassesTheEvent_AsItsOperatorsSay(string filter, bool passes) =>
        Parse(filter).Matches("order.paid", Json(Data)).Should().Be(passes, filter);

    /// <summary>A missing path matches only {"$exists": false}: not $ne, not $nin, not a negative comparison.</summary>
    [Theory]
    [InlineData("""{"data.missing": {"$ne": 1}}""")]
    [InlineData("""{"data.missing": {"$nin": [1]}}""")]
    [InlineData("""{"data.missing": {"$lt": 1}}""")]
    [InlineData("""{"data.missing": null}""")]
    [InlineData("""{"data.customer.missing.deeper": "x"}""")]
    [InlineData("""{"data.items.9.sku": "A-1"}""")]
    public void AMissingPath_MatchesOnlyExistsFalse(string filter) => Parse(filter).Matches("order.paid", Json(Data)).Should().BeFalse(filter);

    /// <summary>Values of different JSON types never compare equal or ordered: "1000" is not 1000.</summary>
    [Theory]
    [InlineData("""{"data.code": 1000}""")]
    [InlineData("""{"data.amount": "1500"}""")]
    [InlineData("""{"data.code": {"$gt": 999}}""")]
    [InlineData("""{"data.amount": {"$gt": "1"}}""")]
    [InlineData("""{"data.amount": {"$in": ["1500"]}}""")]
    [InlineData("""{"data.paid": "true"}""")]
    [InlineData("""{"data.amount": {"$startsWith": "15"}}""")]
    public void ValuesOfDifferentTypes_NeverCompare(string filter) => Parse(filter).Matches("order.paid", Json(Data)).Should().BeFalse(filter);

    [Theory]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"amount": 1}""", "'amount' is not a path into the event")]
    [InlineData("""{"data..amount": 1}""", "'data..amount' is not a path")]
    [InlineData("""{"type.name": "x"}""", "'type.name' is not a path")]
    [InlineData("""{"data.amount": {"$regex": "x"}}""", "'$regex' at 'data.amount' is not an operator")]
    [InlineData("""{"data.amount": {"$gt": 1, "x": 2}}""", "cannot be mixed with operators")]
    [InlineData("""{"data.amount": {"$gt": true}}""", "'$gt' at 'data.amount' takes a number or a string")]
    [InlineData("""{"data.amount": {"$in": 5}}""", "'$in' at 'data.amount' takes an array")]
    [InlineData("""{"data.amount": {"$exists": "yes"}}""", "'$exists' at 'data.amount' takes true or false")]
    [InlineData("""{"data.amount": {"$startsWith": 1}}""", "'$startsWith' at 'data.amount' takes a string")]
    [InlineData("""{"$and": []}""", "$and in filter must be a non-empty array")]
    [InlineData("""{"$or": {"data.a": 1}}""", "$or in filter must be a non-empty array")]
    [InlineData("""{"$not": [1]}""", "filter.$not must be a JSON object")]
    [InlineData("""{"$nor": [{"data.a": 1}]}""", "unknown combinator '$nor'")]
    [InlineData("""{"$not": {"$not": {"$not": {"$not": {"$not": {"$not": {"$not": {"$not": {"$not": {"data.a": 1}}}}}}}}}}""", "nests deeper than 8 levels")]
    public void AnInvalidFilter_IsRefused_NamingTheProblem(string filter, string problem) =>
        FluentActions.Invoking(() => Parse(filter)).Should().Throw<EventFilterException>().Which.Message.Should().Contain(problem);

    [Fact]
    public void AFilterWithTooManyConditions_IsRefused()
    {
        var many = "{" + string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"data.f{i}\": {i}")) + "}";
        FluentActions.Invoking(() => Parse(many)).Should().Throw<EventFilterException>().Which.Message.Should().Contain("more than 64 conditions");
    }

    /// <summary>
    /// A literal nested past what readers of a stored filter accept (64 by default) once made every list holding the
    /// subscription answer 500: the whole filter's JSON depth is bounded, literals included.
    /// </summary>
    [Fact]
    public void ALiteralNestedDeeperThanTheLimit_IsRefused_AndTheDeepestAllowedFilterParsesAtDefaultDepth()
    {
        var deep = "{\"data.x\": " + new string('[', 70) + new string(']', 70) + "}";
        FluentActions.Invoking(() => EventFilter.Parse(JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 256 }).RootElement))
            .Should().Throw<EventFilterException>().Which.Message.Should().Contain("deeper than 24 levels");

        var nested = "{\"$and\": [" + string.Concat(Enumerable.Repeat("{\"$and\": [", 7)) + "{\"data.x\": {\"$in\": [1]}}" + new string(']', 7).Replace("]", "]}") + "]}";
        var filter = JsonDocument.Parse(nested).RootElement;
        EventFilter.Parse(filter).Matches("t", Json("{\"x\": 1}")).Should().BeTrue("eight combinator levels, the most a filter may nest, stay within the JSON depth");
    }

    [Fact]
    public void AKeyTwiceInOneObject_IsRefused_SinceOnlyTheLastWouldBeStored() =>
        FluentActions.Invoking(() => Parse("{\"data.a\": 1, \"data.a\": 2}")).Should().Throw<EventFilterException>().Which.Message.Should().Contain("appears twice");

    private static EventFilter Parse(string filter) => EventFilter.Parse(Json(filter));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
