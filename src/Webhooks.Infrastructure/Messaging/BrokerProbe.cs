using System.Net.Sockets;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// Whether the broker is reachable right now: the registered "broker" health check (AspNetCore.HealthChecks.Rabbitmq,
/// which opens and closes a channel on a long-lived probing connection), cached briefly. MassTransit's bus health stays
/// "healthy" while a bus with no receive endpoints has lost its broker, so the relay and /health ask this instead.
/// Publishing goes through MassTransit; probing through this one connection — the two ways the gateway reaches RabbitMQ.
/// </summary>
internal sealed class BrokerProbe(BrokerAddress broker, HealthCheckService health, TimeProvider clock) : IAsyncDisposable
{
    public const string HealthCheckName = "broker";
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim connecting = new(1, 1);
    private (DateTimeOffset At, bool Reachable, string? Reason) last;
    private IConnection? connection;

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
                var report = await health.CheckHealthAsync(check => check.Name == HealthCheckName, cancellationToken);
                var entry = report.Entries[HealthCheckName];
                last = (clock.GetUtcNow(), entry.Status == HealthStatus.Healthy, entry.Status == HealthStatus.Healthy ? null : Reason(entry));
            }

            return (last.Reachable, last.Reason);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The probing connection, opened again when the broker dropped it (what the health check runs on).</summary>
    public async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (connection is { IsOpen: true } open)
        {
            return open;
        }

        // The health check hands no token to its connection factory: bound the whole open (TCP, TLS, AMQP handshake)
        // here, so a broker that accepts the socket and then stalls cannot hold the probe (and /health) for long.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OpenTimeout);
        await connecting.WaitAsync(timeout.Token);
        try
        {
            if (connection is { IsOpen: true } again)
            {
                return again;
            }

            var stale = connection;
            connection = null;
            if (stale is not null)
            {
                try
                {
                    await stale.DisposeAsync();
                }
                catch (Exception ex) when (IsConnectivityFailure(ex) || ex is RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    // The broker is gone with it: nothing to close.
                }
            }

            var factory = broker.Factory("webhooks-probe", OpenTimeout);
            connection = await factory.CreateConnectionAsync(timeout.Token);
            return connection;
        }
        finally
        {
            connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception ex) when (IsConnectivityFailure(ex) || ex is RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // Stopping while the broker is away: nothing to close.
            }
        }

        gate.Dispose();
        connecting.Dispose();
    }

    /// <summary>Failures that say "the broker is not there", as opposed to "the broker refused this event".</summary>
    public static bool IsConnectivityFailure(Exception exception) => exception is
        OperationCanceledException or TimeoutException or ConnectionException or TransportUnavailableException
        or SocketException or IOException or ObjectDisposedException
        or RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
        or RabbitMQ.Client.Exceptions.ConnectFailureException
        || (exception.InnerException is { } inner && IsConnectivityFailure(inner));

    /// <summary>A short reason: the innermost message (BrokerUnreachableException wraps the socket error).</summary>
    internal static string Reason(HealthReportEntry entry)
    {
        var innermost = entry.Exception;
        while (innermost?.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return innermost switch
        {
            OperationCanceledException or TimeoutException => "no answer within 1 s",
            null => entry.Description ?? "unreachable",
            _ => innermost.Message,
        };
    }
}
