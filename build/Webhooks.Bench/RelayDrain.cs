using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Webhooks.Bench;

/// <summary>With the relay paused, fills the outbox with N events, resumes it and times the drain to a consumer.</summary>
internal static class RelayDrain
{
    public static async Task<int> RunAsync(Options options)
    {
        var count = options.Int("count", 100_000);
        using var api = new HttpClient { BaseAddress = new Uri(options.Get("api")) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Get("admin-key"));
        (await api.PostAsync("/api/v1/admin/relay/pause", null)).EnsureSuccessStatusCode();

        var factory = new ConnectionFactory { Uri = new Uri(options.Get("amqp")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("webhooks.events", ExchangeType.Topic, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync("bench.drain", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("bench.drain", "webhooks.events", "evt.bench.#");
        await channel.QueuePurgeAsync("bench.drain");
        await channel.BasicQosAsync(0, 2000, false);
        long received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, _) =>
        {
            if (Interlocked.Increment(ref received) >= count)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync("bench.drain", autoAck: true, consumer);

        await using (var database = new NpgsqlConnection(options.Get("pg")))
        {
            await database.OpenAsync();
            await using var fill = new NpgsqlCommand("""
                INSERT INTO outbox_messages (id, inbox_id, source, event_type, subject, correlation_id, envelope, status, attempts, next_attempt_at, created_at)
                SELECT gen_random_uuid(), NULL, 'bench', 'evt.bench.filled', g::text, 'bench',
                       json_build_object('specversion', '1.0', 'id', gen_random_uuid(), 'source', '/webhooks/bench', 'type', 'evt.bench.filled',
                                         'time', now(), 'datacontenttype', 'application/json',
                                         'data', json_build_object('n', g, 'padding', repeat('x', 760)))::text,
                       'pending', 0, now(), now()
                FROM generate_series(1, $1) AS g
                """, database) { CommandTimeout = 300 };
            fill.Parameters.Add(new NpgsqlParameter { Value = count });
            await fill.ExecuteNonQueryAsync();
        }

        var clock = Stopwatch.StartNew();
        (await api.PostAsync("/api/v1/admin/relay/resume", null)).EnsureSuccessStatusCode();
        var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromMinutes(5)));
        var seconds = clock.Elapsed.TotalSeconds;
        Report.Line("relay_drained", Interlocked.Read(ref received));
        Report.Line("relay_events_per_s", Interlocked.Read(ref received) / seconds);
        await channel.QueueDeleteAsync("bench.drain");
        return finished == done.Task ? 0 : 1;
    }
}
