using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>Says so once the bus has started: from then on, order events reach the queue and are handled.</summary>
internal sealed partial class ReadyAnnouncer(IOptions<ConsumerOptions> options, ILogger<ReadyAnnouncer> logger) : IHostedService
{
    public const string ReadyLine = "Consuming order events";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogReady(logger, options.Value.Queue, options.Value.Exchange, options.Value.BindingKey);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = ReadyLine + " from queue {Queue} bound to {Exchange} with {BindingKey}")]
    private static partial void LogReady(ILogger logger, string queue, string exchange, string bindingKey);
}
