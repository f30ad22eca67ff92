using Microsoft.Extensions.Hosting;

namespace Webhooks.Samples.OrderConsumer;

/// <summary>Creates the consumer's tables before the bus starts (hosted services start in registration order).</summary>
internal sealed class SchemaCreator(OrderStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.CreateSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
