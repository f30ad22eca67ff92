using Webhooks.Domain.Sources;

namespace Webhooks.Application.Common.Abstractions;

/// <summary>The inbound sources known to this instance, by their URL segment.</summary>
public interface ISourceCatalog
{
    WebhookSource? Find(string name);

    IReadOnlyCollection<WebhookSource> All { get; }

    /// <summary>Reads the sources again now: a change through this instance applies to its next request.</summary>
    Task ReloadAsync(CancellationToken cancellationToken);
}
