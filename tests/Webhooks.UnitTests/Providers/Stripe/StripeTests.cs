using System.Text;
using FluentAssertions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Domain.Sources;

namespace Webhooks.UnitTests.Providers.Stripe;

public sealed class StripeTests
{
    private const string Secret = "whsec_test_secret";
    private const long T = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T + 10);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"}");

    // printf '%s' '1700000000.{"id":"evt_1","type":"payment_intent.succeeded"}' | openssl dgst -sha256 -hmac whsec_test_secret
    private const string OpenSslV1 = "22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31";

    private static Webhooks.Application.Providers.SignatureCheck Check(string header, DateTimeOffset? now = null, params string[] secrets) =>
        StripeSignature.Verify(
            TestRequests.With(Body, new Dictionary<string, string> { ["Stripe-Signature"] = header }),
            TestRequests.Source(ProviderKind.Stripe, secrets.Length == 0 ? [Secret] : secrets),
            now ?? Now);

    [Fact]
    public void Verify_OpenSslVector_Passes() => Check($"t={T},v1={OpenSslV1}").Valid.Should().BeTrue();

    [Fact]
    public void Sign_MatchesOpenSsl() => StripeSignature.Sign(Body, Secret, T).Should().Be($"t={T},v1={OpenSslV1}");

    [Fact]
    public void Verify_SeveralV1DuringASecretRoll_PassesWhenAnyMatches() =>
        Check($"t={T},v1={new string('0', 64)},v1={OpenSslV1},v0={new string('1', 64)}").Valid.Should().BeTrue();

    [Fact]
    public void Verify_V0Only_Fails() => Check($"t={T},v0={OpenSslV1}").Failure.Should().Contain("v1=");

    [Theory]
    [InlineData("garbage")]
    [InlineData("t=,v1=")]
    [InlineData("v1=abc")]
    public void Verify_MalformedHeader_Fails(string header) => Check(header).Valid.Should().BeFalse();

    [Fact]
    public void Verify_StaleTimestamp_FailsEvenWithAValidSignature() =>
        Check($"t={T},v1={OpenSslV1}", DateTimeOffset.FromUnixTimeSeconds(T + 301)).Failure.Should().Contain("timestamp");

    [Fact]
    public void Verify_TamperedBody_Fails()
    {
        var tampered = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\",\"type\":\"payment_intent.payment_failed\"}");
        var check = StripeSignature.Verify(
            TestRequests.With(tampered, new Dictionary<string, string> { ["Stripe-Signature"] = $"t={T},v1={OpenSslV1}" }),
            TestRequests.Source(ProviderKind.Stripe, Secret), Now);

        check.Valid.Should().BeFalse();
    }

    [Fact]
    public void Verify_WrongSecret_Fails() => Check($"t={T},v1={OpenSslV1}", null, "whsec_other").Valid.Should().BeFalse();

    [Fact]
    public void Verify_RotatedSecrets_BothAccepted() => Check($"t={T},v1={OpenSslV1}", null, "whsec_new", Secret).Valid.Should().BeTrue();

    [Theory]
    [InlineData("payment_intent.succeeded", "evt.webhook.payment.succeeded")]
    [InlineData("payment_intent.payment_failed", "evt.webhook.payment.failed")]
    [InlineData("payment_intent.failed", "evt.webhook.payment.failed")]
    [InlineData("customer.subscription.created", "evt.webhook.subscription.created")]
    [InlineData("customer.subscription.updated", "evt.webhook.subscription.updated")]
    [InlineData("customer.subscription.deleted", "evt.webhook.subscription.cancelled")]
    [InlineData("customer.created", "evt.webhook.customer.created")]
    [InlineData("customer.updated", "evt.webhook.customer.updated")]
    [InlineData("invoice.payment_succeeded", "evt.webhook.invoice.paid")]
    public void Interpret_EachMappedType_YieldsItsDomainEvent(string type, string expected)
    {
        var meaning = Interpret("{\"id\":\"evt_9\",\"type\":\"" + type + "\",\"data\":{\"object\":{\"id\":\"obj_1\"}}}");

        meaning.Events.Single().Type.Should().Be(expected);
        meaning.Events.Single().Subject.Should().Be("obj_1");
        meaning.IdempotencyKey.Should().Be("evt_9");
        meaning.Topic.Should().Be(type);
    }

    [Fact]
    public void Interpret_TimesBeyondTheCalendar_AreLeftOut_RatherThanFailingTheDelivery()
    {
        var interpretation = Interpret("""{"id":"evt_9","type":"customer.subscription.updated","created":99999999999999,"data":{"object":{"id":"sub_1","current_period_end":-99999999999999}}}""");

        interpretation.ProviderTime.Should().BeNull();
        interpretation.MappingFailure.Should().BeNull();
        interpretation.Events.Should().ContainSingle();
    }

    [Fact]
    public void Interpret_PaymentIntent_CarriesAmountCurrencyStatusCustomer()
    {
        var data = Interpret("""{"id":"evt_9","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":2000,"currency":"usd","status":"succeeded","customer":"cus_1"}}}""").Events.Single().Data;

        data["payment_id"]!.GetValue<string>().Should().Be("pi_1");
        data["amount"]!.GetValue<long>().Should().Be(2000, "Stripe's integer in minor units, as seed 000 published it");
        data["amount_decimal"]!.GetValue<string>().Should().Be("20.00");
        data["currency"]!.GetValue<string>().Should().Be("usd", "as Stripe spells it (seed 000)");
        data["status"]!.GetValue<string>().Should().Be("succeeded");
        data["customer_id"]!.GetValue<string>().Should().Be("cus_1");
    }

    [Fact]
    public void Interpret_Subscription_CarriesPlanAndPeriodEnd()
    {
        var data = Interpret("""{"id":"evt_9","type":"customer.subscription.updated","data":{"object":{"id":"sub_1","customer":"cus_1","status":"active","items":{"data":[{"price":{"id":"price_pro"}}]},"current_period_end":1735689600}}}""").Events.Single().Data;

        data["plan_id"]!.GetValue<string>().Should().Be("price_pro");
        data["current_period_end"]!.GetValue<long>().Should().Be(1735689600, "Stripe's Unix seconds, as seed 000 published them");
    }

    [Fact]
    public void Interpret_Customer_CarriesEmailAndName()
    {
        var data = Interpret("""{"id":"evt_9","type":"customer.created","data":{"object":{"id":"cus_1","email":"a@example.com","name":"Ada"}}}""").Events.Single().Data;

        data["email"]!.GetValue<string>().Should().Be("a@example.com");
        data["name"]!.GetValue<string>().Should().Be("Ada");
    }

    [Fact]
    public void Interpret_Unmapped_YieldsNoDomainEvent() => Interpret("""{"id":"evt_9","type":"charge.captured"}""").Events.Should().BeEmpty();

    [Fact]
    public void Interpret_ChargeRefunded_IsAPaymentRefund()
    {
        var meaning = Interpret("""{"id":"evt_9","type":"charge.refunded","created":1733040000,"data":{"object":{"id":"ch_1","payment_intent":"pi_1","amount":5000,"amount_refunded":1250,"currency":"jpy","customer":"cus_1","refunded":false,"refunds":{"data":[{"id":"re_1"}]}}}}""");

        var mapped = meaning.Events.Single();
        mapped.Type.Should().Be("evt.webhook.payment.refunded");
        mapped.Data["payment_id"]!.GetValue<string>().Should().Be("pi_1");
        mapped.Data["refund_id"]!.GetValue<string>().Should().Be("re_1");
        mapped.Data["amount"]!.GetValue<long>().Should().Be(1250);
        mapped.Data["amount_decimal"]!.GetValue<string>().Should().Be("1250", "yen has no minor unit");
        mapped.Data["status"]!.GetValue<string>().Should().Be("partially_refunded");
        meaning.ProviderTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1733040000), "Stripe's created is when the event occurred");
    }

    [Fact]
    public void Interpret_InvoicePaymentFailed_CarriesAmountDueAndAttempts()
    {
        var mapped = Interpret("""{"id":"evt_9","type":"invoice.payment_failed","data":{"object":{"id":"in_1","customer":"cus_1","subscription":"sub_1","amount_due":1999,"currency":"usd","status":"open","attempt_count":2}}}""").Events.Single();

        mapped.Type.Should().Be("evt.webhook.invoice.payment_failed");
        mapped.Data["invoice_id"]!.GetValue<string>().Should().Be("in_1");
        mapped.Data["amount"]!.GetValue<string>().Should().Be("19.99");
        mapped.Data["attempt_count"]!.GetValue<int>().Should().Be(2);
    }

    [Fact]
    public void Interpret_NoId_IsMalformed()
    {
        var act = () => Interpret("""{"type":"customer.created"}""");
        act.Should().Throw<MalformedWebhookException>();
    }

    private static Webhooks.Application.Providers.WebhookInterpretation Interpret(string body) =>
        new StripeProvider().Interpret(TestRequests.With(Encoding.UTF8.GetBytes(body), new Dictionary<string, string>()), TestRequests.Source(ProviderKind.Stripe, Secret));
}
