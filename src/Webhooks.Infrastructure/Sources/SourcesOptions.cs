using Microsoft.Extensions.Options;
using Webhooks.Application.Sources;

namespace Webhooks.Infrastructure.Sources;

/// <summary>Webhooks:Sources, keyed by the URL segment: the sources seeded at start-up.</summary>
internal sealed class SourcesOptions
{
    public Dictionary<string, SourceSettings> Items { get; } = new(StringComparer.Ordinal);
}

/// <summary>Refuses to start, naming the key, when a configured source could not verify its deliveries.</summary>
internal sealed class SourcesOptionsValidator : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options)
    {
        var failures = options.Items.SelectMany(pair => SourceDefinitions.Check(pair.Key, pair.Value)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
