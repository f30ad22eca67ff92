using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Webhooks.Chaos;

/// <summary>Named counters, safe to bump from any thread.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public void Add(string name, long by = 1) => counts.AddOrUpdate(name, by, (_, n) => n + by);

    public long this[string name] => counts.TryGetValue(name, out var n) ? n : 0;

    /// <summary>The counters whose names start with <paramref name="prefix"/>, by the rest of their name.</summary>
    public IEnumerable<(string Name, long Count)> WithPrefix(string prefix) =>
        counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(c => (c.Key[prefix.Length..], c.Value)).OrderBy(c => c.Item1, StringComparer.Ordinal);
}

/// <summary>The final answer to one logical request, after its retries.</summary>
/// <param name="Body">The accepted answer's body; null when given up or refused.</param>
/// <param name="Refused">A status that is not retried (a 4xx other than 408 and 429): the request itself is wrong.</param>
internal sealed record Outcome(JsonDocument? Body, int Attempts, int? Refused, string? RefusedBody);

/// <summary>
/// Sends one request the way a provider or a publisher does: to one instance, then, on no answer, a 5xx, 408 or 429,
/// again after a growing pause, alternating instances (as a balancer would), the same request every time (same
/// idempotency key, same body), until it is accepted or the attempts are spent.
/// </summary>
internal static class Sending
{
    private static readonly TimeSpan[] Pauses = [.. new[] { 0.25, 0.5, 1, 2, 3, 5, 8 }.Select(TimeSpan.FromSeconds)];

    /// <summary>How long an answer may take; the ingest path's own write timeout is 8 s.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    public static HttpClient NewClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 64,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public static async Task<Outcome> SendAsync(
        HttpClient http, IReadOnlyList<Uri> instances, int first, HttpStatusCode accepted, Func<Uri, HttpRequestMessage> make, Tally tally, string kind)
    {
        for (var attempt = 0; attempt <= Pauses.Length; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(Pauses[attempt - 1]);
            }

            var instance = instances[(first + attempt) % instances.Count];
            tally.Add($"{kind} attempts");
            using var timeout = new CancellationTokenSource(AnswerTimeout);
            try
            {
                using var request = make(instance);
                using var response = await http.SendAsync(request, timeout.Token);
                var status = (int)response.StatusCode;
                if (response.StatusCode == accepted)
                {
                    // An answer counts once it has been read whole: a 200 cut off by a killed instance is no answer.
                    var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
                    tally.Add($"{kind} answered {status}");
                    return new Outcome(body, attempt + 1, null, null);
                }

                tally.Add($"{kind} answered {status}");
                if (status is >= 400 and < 500 and not 408 and not 429)
                {
                    return new Outcome(null, attempt + 1, status, await response.Content.ReadAsStringAsync(timeout.Token));
                }
            }
            catch (OperationCanceledException)
            {
                tally.Add($"{kind} no answer (timed out)");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
            {
                tally.Add($"{kind} no answer ({Reason(e)})");
            }
        }

        return new Outcome(null, Pauses.Length + 1, null, null);
    }

    private static string Reason(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused",
        HttpRequestException or IOException => "connection lost",
        _ => "answer cut off",
    };
}
