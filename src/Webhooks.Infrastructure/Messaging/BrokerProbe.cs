using System.Net.Sockets;
using MassTransit;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Whether the broker is reachable right now. MassTransit's bus health stays "healthy" while a bus with no receive
/// endpoints has lost its broker, so this asks the network: a TCP connection to the AMQP listener, cached briefly.
/// </summary>
internal sealed class BrokerProbe(BrokerAddress broker, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (DateTimeOffset At, bool Reachable, string? Reason) last;

    public async Task<(bool Reachable, string? Reason)> CheckAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() - last.At < CacheFor)
        {
            return (last.Reachable, last.Reason);
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (clock.GetUtcNow() - last.At >= CacheFor)
            {
                var (reachable, reason) = await ConnectAsync(cancellationToken);
                last = (clock.GetUtcNow(), reachable, reason);
            }

            return (last.Reachable, last.Reason);
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Failures that say "the broker is not there", as opposed to "the broker refused this event".</summary>
    public static bool IsConnectivityFailure(Exception exception) => exception is
        OperationCanceledException or TimeoutException or ConnectionException or TransportUnavailableException
        or SocketException or IOException or ObjectDisposedException
        or RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
        or RabbitMQ.Client.Exceptions.ConnectFailureException
        || (exception.InnerException is { } inner && IsConnectivityFailure(inner));

    private async Task<(bool, string?)> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(broker.Host, broker.Port, timeout.Token);
            return (true, null);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return (false, ex is OperationCanceledException ? "no answer within 1 s" : ex.Message);
        }
    }
}
