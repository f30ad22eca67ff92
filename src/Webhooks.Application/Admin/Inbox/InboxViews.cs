using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Inbox;

namespace Webhooks.Application.Admin.Inbox;

public sealed record InboxSummary(Guid Id, string Source, string Provider, string? Topic, string IdempotencyKey, string Status, DateTimeOffset ReceivedAt, string CorrelationId)
{
    public static InboxSummary From(InboxMessage m) =>
        new(m.Id, m.Source, m.Provider, m.Topic, m.IdempotencyKey, m.Status.ToString().ToLowerInvariant(), m.ReceivedAt, m.CorrelationId);
}

public sealed record InboxEvent(Guid Id, string Type, string Status, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

public sealed record InboxDetail(
    Guid Id, string Source, string Provider, string? Topic, string IdempotencyKey, string Status, DateTimeOffset ReceivedAt,
    string CorrelationId, string? ClientAddress, string? ContentType, IReadOnlyDictionary<string, string> Headers,
    string Body, string BodyEncoding, int BodyBytes, IReadOnlyList<InboxEvent> Events);

/// <summary>An inbox message as the admin API shows it: its events, and its body rendered for reading.</summary>
internal static class InboxDetails
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, MaxDepth = Common.Json.StoredJson.MaxDepth };

    public static async Task<InboxDetail> Build(IWebhooksDbContext db, InboxMessage m, CancellationToken cancellationToken)
    {
        var events = await db.Outbox.AsNoTracking().Where(o => o.InboxId == m.Id).OrderBy(o => o.Id)
            .Select(o => new InboxEvent(o.Id, o.EventType, o.Status.ToString().ToLower(), o.Attempts, o.LastError, o.CreatedAt, o.PublishedAt))
            .ToListAsync(cancellationToken);
        var (body, encoding) = Render(m.Body);
        return new InboxDetail(m.Id, m.Source, m.Provider, m.Topic, m.IdempotencyKey, m.Status.ToString().ToLowerInvariant(), m.ReceivedAt,
            m.CorrelationId, m.ClientAddress, m.ContentType, m.Headers, body, encoding, m.Body.Length, events);
    }

    /// <summary>JSON pretty-printed, other UTF-8 text as is, anything else base64.</summary>
    internal static (string Body, string Encoding) Render(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Common.Json.StoredJson.MaxDepth });
            return (JsonSerializer.Serialize(json.RootElement, Pretty), "json");
        }
        catch (JsonException)
        {
            try
            {
                return (new UTF8Encoding(false, true).GetString(body), "text");
            }
            catch (DecoderFallbackException)
            {
                return (Convert.ToBase64String(body), "base64");
            }
        }
    }
}
