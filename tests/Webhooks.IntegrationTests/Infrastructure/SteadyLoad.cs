using System.Collections.Concurrent;
using System.Diagnostics;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>One answered delivery: when it was sent and answered (ms since the load began), its status and inbox id.</summary>
internal sealed record Delivery(long SentMs, long AnsweredMs, int Status, Guid? InboxId);

/// <summary>A bounded stream of unique signed deliveries from a few workers, each pausing between requests.</summary>
internal sealed class SteadyLoad
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Delivery> answers = new();

    public IReadOnlyCollection<Delivery> Answers => answers;

    public long NowMs => clock.ElapsedMilliseconds;

    public Task RunAsync(HttpClient client, int workers, TimeSpan pause, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var sent = NowMs;
                int status;
                Guid? id = null;
                try
                {
                    using var response = await client.SendAsync(Shopify.Delivery(Shopify.OrderBody((worker * 1_000_000L) + i)), CancellationToken.None);
                    status = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode)
                    {
                        id = (await response.AcceptedAsync()).Id;
                    }
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                answers.Enqueue(new Delivery(sent, NowMs, status, id));
                try
                {
                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }));
}
