using Webhooks.Domain.Common;

namespace Webhooks.Domain.Sources;

/// <summary>One signing secret of a source, stored encrypted; only its hint is ever shown.</summary>
public sealed class SourceSecret : ProtectedSecret
{
    private SourceSecret()
    {
    }

    public string SourceName { get; private set; } = "";

    public static SourceSecret Create(Guid id, string protectedSecret, string hint, DateTimeOffset now) => new()
    {
        Id = id,
        Protected = protectedSecret,
        Hint = hint,
        CreatedAt = now,
    };

    internal void AttachTo(string sourceName) => SourceName = sourceName;
}
