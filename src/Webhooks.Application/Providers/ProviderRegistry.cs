using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers;

/// <summary>The provider implementations by kind; a source's configured Provider picks one.</summary>
public sealed class ProviderRegistry(IEnumerable<IWebhookProvider> providers)
{
    private readonly Dictionary<ProviderKind, IWebhookProvider> byKind = providers.ToDictionary(p => p.Kind);

    public IWebhookProvider Get(ProviderKind kind) =>
        byKind.TryGetValue(kind, out var provider)
            ? provider
            : throw new InvalidOperationException($"No verifier is registered for provider '{kind.ToName()}'.");
}
