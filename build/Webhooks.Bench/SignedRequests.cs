using System.Globalization;
using System.Text;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Application.Providers.Stripe;

namespace Webhooks.Bench;

/// <summary>
/// Pre-signs unique deliveries for wrk, which cannot compute an HMAC: one per line, signature TAB body. Every body is
/// different (the gateway de-duplicates byte-identical bodies), as a real provider's deliveries are.
/// </summary>
internal static class SignedRequests
{
    public static int Stripe(Options options) => Generate(options, (i, prefix, timestamp, secret) =>
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"id":"evt_{{{prefix}}}_{{{i}}}","object":"event","type":"payment_intent.succeeded","created":{{{timestamp}}},"data":{"object":{"id":"pi_{{{prefix}}}_{{{i}}}","object":"payment_intent","amount":{{{1000 + (i % 9000)}}},"currency":"usd","status":"succeeded","customer":"cus_{{{i % 5000}}}","payment_method":"pm_card_visa","description":"Order {{{i}}} from the flash sale","metadata":{"order_id":"{{{i}}}","channel":"web"}} },"livemode":false,"pending_webhooks":1,"request":{"id":"req_{{{i}}}","idempotency_key":null} }""");
        return (StripeSignature.Sign(Encoding.UTF8.GetBytes(body), secret, timestamp), body);
    });

    /// <summary>Shopify orders/create of about 1.6 KB each (a note pads them to a typical order's size).</summary>
    public static int Shopify(Options options) => Generate(options, (i, prefix, _, secret) =>
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"id":{{{8_209_829_000_000_000L + i}}},"name":"#{{{prefix}}}-{{{i}}}","order_number":{{{1000 + i}}},"total_price":"199.00","currency":"USD","financial_status":"paid","customer":{"id":{{{115_310_627_000_000L + (i % 5000)}}}},"line_items":[{"product_id":632910392,"variant_id":808950810,"quantity":1,"price":"199.00"}],"note":"{{{new string('x', 1400)}}}"}""");
        return (ShopifySignature.Sign(Encoding.UTF8.GetBytes(body), secret), body);
    });

    private static int Generate(Options options, Func<int, string, long, string, (string Signature, string Body)> make)
    {
        var count = options.Int("count", 100_000);
        var secret = options.Get("secret");
        var prefix = options.Get("prefix");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var output = new StreamWriter(options.Get("out"), false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++)
        {
            var (signature, body) = make(i, prefix, timestamp, secret);
            output.Write(signature);
            output.Write('\t');
            output.Write(body);
            output.Write('\n');
        }

        return 0;
    }
}
