using System.Globalization;
using System.Text;
using Webhooks.Application.Providers.Stripe;

namespace Webhooks.Bench;

/// <summary>Pre-signs unique Stripe events (one per line: signature TAB body) for wrk, which cannot compute an HMAC.</summary>
internal static class StripeRequests
{
    public static int Generate(Options options)
    {
        var count = options.Int("count", 100_000);
        var secret = options.Get("secret");
        var prefix = options.Get("prefix");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var output = new StreamWriter(options.Get("out"), false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++)
        {
            var body = string.Create(CultureInfo.InvariantCulture,
                $$$"""{"id":"evt_{{{prefix}}}_{{{i}}}","object":"event","type":"payment_intent.succeeded","created":{{{timestamp}}},"data":{"object":{"id":"pi_{{{prefix}}}_{{{i}}}","object":"payment_intent","amount":{{{1000 + (i % 9000)}}},"currency":"usd","status":"succeeded","customer":"cus_{{{i % 5000}}}","payment_method":"pm_card_visa","description":"Order {{{i}}} from the flash sale","metadata":{"order_id":"{{{i}}}","channel":"web"}} },"livemode":false,"pending_webhooks":1,"request":{"id":"req_{{{i}}}","idempotency_key":null} }""");
            output.Write(StripeSignature.Sign(Encoding.UTF8.GetBytes(body), secret, timestamp));
            output.Write('\t');
            output.Write(body);
            output.Write('\n');
        }

        return 0;
    }
}
