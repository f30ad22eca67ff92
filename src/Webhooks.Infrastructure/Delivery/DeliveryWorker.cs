using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery.Sending;

namespace Webhooks.Infrastructure.Delivery;

/// <summary>Hosts the delivery use case (<see cref="DeliverPendingDeliveries"/>) for the life of the process, where delivery is enabled.</summary>
internal sealed class DeliveryWorker(DeliverPendingDeliveries deliveries, IOptions<DeliveryOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? deliveries.RunAsync(stoppingToken) : Task.CompletedTask;
}
