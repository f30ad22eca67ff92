using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Contracts;
using Webhooks.Domain.Events;

namespace Webhooks.Application.Providers;

/// <summary>
/// Mapped events are built from the records of Webhooks.Contracts: the record decides the routing key and the shape
/// of <c>data</c>, so what is published, the schemas served and the consumers' types are one definition.
/// </summary>
public static class ContractEvents
{
    /// <summary>A provider's object carried inside a record (Slack's event) sits a level or two below the body's depth limit.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { MaxDepth = Common.Json.StoredJson.MaxDepth };

    public static MappedEvent Event(EventData data, string? subject) => new(EventCatalog.Of(data.GetType()).RoutingKey, subject, Data(data));

    /// <summary>An event of a family (<c>evt.webhook.pull_request.{action}</c>): the family's prefix and the sender's name.</summary>
    public static MappedEvent FamilyEvent(EventData data, string? subject, string name)
    {
        var definition = EventCatalog.Of(data.GetType());
        var type = EventTypes.Checked(definition.Prefix, name);
        return definition.Covers(type)
            ? new MappedEvent(type, subject, Data(data))
            : throw new Common.Exceptions.MalformedWebhookException($"'{name}' cannot name a {definition.RoutingKey} event.");
    }

    public static JsonObject Data(EventData data) => JsonSerializer.SerializeToNode(data, data.GetType(), Options)!.AsObject();

    /// <summary>
    /// An amount in a currency's minor units (Stripe's) as a decimal string in major units, the way Shopify and PayPal
    /// send amounts: 1999 USD → "19.99", 500 JPY → "500", 1000 KWD → "1.000".
    /// </summary>
    public static string? Money(long? minorUnits, string? currency) =>
        minorUnits is { } amount
            ? MajorUnits(amount, currency).ToString("F" + Decimals(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : null;

    /// <summary>An amount in minor units as a number in major units (seed 002's amount_paid, with the ISO 4217 exponent).</summary>
    public static decimal MajorUnits(long minorUnits, string? currency) => minorUnits / (decimal)Math.Pow(10, Decimals(currency));

    /// <summary>A decimal amount in major units ("10.50" USD) as an integer in minor units (1050), or null if it is not one.</summary>
    public static long? MinorUnits(string? amount, string? currency) =>
        decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var major)
            ? (long)decimal.Round(major * (decimal)Math.Pow(10, Decimals(currency)), MidpointRounding.AwayFromZero)
            : null;

    /// <summary>ISO 4217's minor-unit exponent: 0 for JPY and the other zero-decimal currencies, 3 for KWD and its kind, else 2.</summary>
    private static int Decimals(string? currency) => currency?.ToUpperInvariant() switch
    {
        "BIF" or "CLP" or "DJF" or "GNF" or "JPY" or "KMF" or "KRW" or "MGA" or "PYG" or "RWF" or "UGX" or "VND" or "VUV" or "XAF" or "XOF" or "XPF" => 0,
        "BHD" or "JOD" or "KWD" or "OMR" or "TND" => 3,
        _ => 2,
    };
}
