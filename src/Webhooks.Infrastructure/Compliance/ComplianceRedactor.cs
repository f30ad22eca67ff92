using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Infrastructure.Persistence;

namespace Webhooks.Infrastructure.Compliance;

/// <summary>
/// Carries out Shopify's <c>customers/redact</c> and <c>shop/redact</c> on what the gateway itself stores: the bodies of
/// that source's inbox rows about the customer (the customer, their orders, anything naming them) or the shop, and the
/// data of the events already published from those rows. The request is carried out once, by whichever instance
/// claims it, in one transaction with its record in <c>compliance_redactions</c>. The request itself is kept as the
/// record of what was asked. This is a scan of the source's rows in SQL: requests are rare and the bodies never have
/// to leave the database.
/// </summary>
internal sealed partial class ComplianceRedactor(
    NpgsqlDataSource dataSource,
    MigrationState migrations,
    IOptions<ComplianceOptions> options,
    TimeProvider clock,
    ILogger<ComplianceRedactor> logger) : BackgroundService
{
    /// <summary>What a redacted body becomes: valid JSON, so every reader of the inbox keeps working.</summary>
    public const string RedactedBody = """{"redacted":true}""";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!migrations.Applied)
        {
            await Task.Delay(200, stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                while (await RedactNextAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever it was, the next tick tries again: no failure here may stop the process.
                LogFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Carries out the oldest redact request not yet done; false when there is none.</summary>
    public async Task<bool> RedactNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid requestId;
        string source;
        string topic;
        await using (var claim = new NpgsqlCommand($"""
            SELECT i.id, i.source, i.topic FROM inbox_messages i
            WHERE i.provider = 'shopify' AND i.topic IN ('{ShopifyEventMapper.CustomerRedactTopic}', '{ShopifyEventMapper.ShopRedactTopic}')
              AND NOT EXISTS (SELECT 1 FROM compliance_redactions r WHERE r.inbox_id = i.id)
            ORDER BY i.received_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (requestId, source, topic) = (reader.GetGuid(reader.GetOrdinal("id")), reader.GetString(reader.GetOrdinal("source")), reader.GetString(reader.GetOrdinal("topic")));
        }

        // The rows about the customer: their own customer webhooks, orders naming them or listed for redaction, and any
        // body whose customer is them. About the shop: every row of the source for that shop domain.
        var match = topic == ShopifyEventMapper.CustomerRedactTopic
            ? """
              (r.customer_id IS NOT NULL AND (
                   (m.topic LIKE 'customers/%' AND b ->> 'id' = r.customer_id)
                OR b -> 'customer' ->> 'id' = r.customer_id
                OR b ->> 'customer_id' = r.customer_id))
              OR (m.topic LIKE 'orders/%' AND b ->> 'id' = ANY (r.orders))
              """
            : "coalesce(m.headers ->> 'x-shopify-shop-domain', b ->> 'shop_domain') = r.shop_domain";
        await using var redact = new NpgsqlCommand($$"""
            WITH r AS (
                SELECT b ->> 'shop_domain' AS shop_domain,
                       b -> 'customer' ->> 'id' AS customer_id,
                       coalesce(ARRAY(SELECT jsonb_array_elements_text(b -> 'orders_to_redact')), '{}') AS orders
                FROM inbox_messages q, webhooks_body_json(q.body) AS b
                WHERE q.id = $1
            ), hit AS (
                SELECT m.id FROM inbox_messages m CROSS JOIN r, webhooks_body_json(m.body) AS b
                WHERE m.source = $2 AND m.id <> $1 AND m.body <> convert_to($3, 'UTF8') AND ({{match}})
            ), bodies AS (
                UPDATE inbox_messages m SET body = convert_to($3, 'UTF8') FROM hit WHERE m.id = hit.id RETURNING m.id
            ), events AS (
                UPDATE outbox_messages o SET envelope = jsonb_set(o.envelope::jsonb, '{data}', $3::jsonb)::text, payload_at = NULL
                FROM bodies WHERE o.inbox_id = bodies.id AND o.status = 'published'
                RETURNING o.id
            )
            INSERT INTO compliance_redactions (inbox_id, source, topic, redacted_rows, processed_at)
            SELECT $1, $2, $4, (SELECT count(*) FROM bodies), $5
            RETURNING redacted_rows
            """, connection, transaction);
        redact.Parameters.Add(new NpgsqlParameter { Value = requestId });
        redact.Parameters.Add(new NpgsqlParameter { Value = source });
        redact.Parameters.Add(new NpgsqlParameter { Value = RedactedBody });
        redact.Parameters.Add(new NpgsqlParameter { Value = topic });
        redact.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        var rows = (int)(await redact.ExecuteScalarAsync(cancellationToken) ?? 0);
        await transaction.CommitAsync(cancellationToken);
        LogRedacted(logger, topic, source, requestId, rows);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Carried out {Topic} from source {Source} (inbox {RequestId}): {Rows} stored bodies redacted")]
    private static partial void LogRedacted(ILogger logger, string topic, string source, Guid requestId, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compliance redaction failed ({Reason}); retrying at the next poll")]
    private static partial void LogFailed(ILogger logger, string reason);
}
