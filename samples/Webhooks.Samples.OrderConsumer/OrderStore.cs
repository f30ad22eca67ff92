using Npgsql;
using Webhooks.Contracts;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>
/// The consumer's own tables: <c>consumer_inbox</c> (one row per AMQP message id handled, so a re-published event is
/// handled once), <c>orders</c> (the current state of each order) and <c>order_events</c> (each handled event).
/// </summary>
internal sealed class OrderStore(NpgsqlDataSource dataSource)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS consumer_inbox (
            message_id  uuid PRIMARY KEY,
            event_type  text        NOT NULL,
            handled_at  timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS orders (
            order_id        text PRIMARY KEY,
            merchant_domain text NULL,
            total           text NULL,
            currency        text NULL,
            status          text NOT NULL,
            updated_at      timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS order_events (
            message_id  uuid PRIMARY KEY REFERENCES consumer_inbox (message_id),
            order_id    text NOT NULL,
            event_type  text NOT NULL,
            occurred_at timestamptz NULL);
        """;

    public async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Handles one event in one transaction with its inbox row: when the message id is already there (the gateway
    /// re-published it, or the broker redelivered it) nothing happens. False for such a duplicate.
    /// </summary>
    public async Task<bool> HandleOnceAsync(Guid messageId, CloudEvent<Order> cloudEvent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var inbox = new NpgsqlCommand(
            "INSERT INTO consumer_inbox (message_id, event_type) VALUES ($1, $2) ON CONFLICT (message_id) DO NOTHING", connection, transaction))
        {
            inbox.Parameters.Add(new NpgsqlParameter { Value = messageId });
            inbox.Parameters.Add(new NpgsqlParameter { Value = cloudEvent.Type });
            if (await inbox.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        var order = cloudEvent.Data;
        var orderId = order.OrderId ?? cloudEvent.Subject ?? throw new InvalidOperationException($"Event {cloudEvent.Id} names no order.");
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO orders (order_id, merchant_domain, total, currency, status) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (order_id) DO UPDATE SET total = excluded.total, currency = excluded.currency, status = excluded.status, updated_at = now()
            """, connection, transaction))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = orderId });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)order.MerchantDomain ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Total ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter { Value = (object?)order.Currency ?? DBNull.Value });
            upsert.Parameters.Add(new NpgsqlParameter { Value = Status(order) });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var history = new NpgsqlCommand(
            "INSERT INTO order_events (message_id, order_id, event_type, occurred_at) VALUES ($1, $2, $3, $4)", connection, transaction))
        {
            history.Parameters.Add(new NpgsqlParameter { Value = messageId });
            history.Parameters.Add(new NpgsqlParameter { Value = orderId });
            history.Parameters.Add(new NpgsqlParameter { Value = cloudEvent.Type });
            history.Parameters.Add(new NpgsqlParameter { Value = (object?)cloudEvent.ProviderTime ?? DBNull.Value });
            await history.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static string Status(Order order) => order switch
    {
        OrderCreated => "created",
        OrderPaid => "paid",
        OrderFulfilled => "fulfilled",
        OrderCancelled => "cancelled",
        _ => order.FinancialStatus ?? "updated",
    };
}
