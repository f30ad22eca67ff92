using Webhooks.Application.Common.Json;
using Webhooks.Application.Ingestion;
using Webhooks.Contracts;
using Webhooks.Domain.Events;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.Twilio;

/// <summary>Twilio status callbacks carry no topic: messages and calls are told apart by their fields.</summary>
public sealed class TwilioProvider : IWebhookProvider
{
    public const string IdempotencyHeader = "I-Twilio-Idempotency-Token";

    public ProviderKind Kind => ProviderKind.Twilio;

    public SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now) => TwilioSignature.Verify(request, source);

    public WebhookInterpretation Interpret(WebhookRequest request, WebhookSource source)
    {
        var fields = FormBody.IsForm(request.ContentType) ? FormBody.ToJson(FormBody.Parse(request.Body)) : Signatures.ParseJsonObject(request.Body);
        var messageSid = fields.Text("MessageSid") ?? fields.Text("SmsSid");
        var callSid = fields.Text("CallSid");

        MappedEvent? mapped = null;
        string? topic = null;
        string? natural = null;
        if (messageSid is not null)
        {
            var status = fields.Text("MessageStatus") ?? fields.Text("SmsStatus");
            topic = "message.status";
            natural = $"{messageSid}:{status}";
            mapped = ContractEvents.Event(new SmsStatusUpdated
            {
                Timestamp = request.ReceivedAt,
                MessageSid = messageSid,
                Status = status,
                To = fields.Text("To"),
                From = fields.Text("From"),
                AccountSid = fields.Text("AccountSid"),
                ErrorCode = fields.Text("ErrorCode"),
                ErrorMessage = fields.Text("ErrorMessage"),
            }, messageSid);
        }
        else if (callSid is not null)
        {
            var status = fields.Text("CallStatus");
            topic = "call.status";
            natural = $"{callSid}:{status}";
            mapped = ContractEvents.Event(new CallStatusUpdated
            {
                Timestamp = request.ReceivedAt,
                CallSid = callSid,
                Status = status,
                To = fields.Text("To"),
                From = fields.Text("From"),
                Direction = fields.Text("Direction"),
                Duration = fields.Text("CallDuration"),
                AccountSid = fields.Text("AccountSid"),
                ErrorCode = fields.Text("ErrorCode"),
                ErrorMessage = fields.Text("ErrorMessage"),
            }, callSid);
        }

        var key = request.Header(IdempotencyHeader) ?? natural ?? Signatures.BodyKey(request.Body);
        return new WebhookInterpretation(topic, key, fields, mapped is null ? [] : [mapped]);
    }
}
