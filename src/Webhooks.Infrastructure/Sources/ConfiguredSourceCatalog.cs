using Microsoft.Extensions.Options;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Sources;

/// <summary>The sources of Webhooks:Sources, validated at start-up.</summary>
internal sealed class ConfiguredSourceCatalog(IOptions<SourcesOptions> options) : ISourceCatalog
{
    private readonly Dictionary<string, WebhookSource> sources = options.Value.Items
        .ToDictionary(pair => pair.Key, pair => SourceDefinitions.ToSource(pair.Key, pair.Value), StringComparer.Ordinal);

    public IReadOnlyCollection<WebhookSource> All => sources.Values;

    public WebhookSource? Find(string name) => sources.GetValueOrDefault(name);
}
