using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Admin.Sources;

/// <summary>A credential of a source's backfill as shown: its name and at most its last four characters.</summary>
public sealed record SourceCredentialView(string Name, string Hint, DateTimeOffset CreatedAt);

/// <summary>A source's Backfill settings as the admin API shows them: everything but the credentials, which only have hints.</summary>
public sealed record SourceBackfillView(
    string? ApiBaseUrl, string? Owner, string? Repo, string? Org, long? HookId, string? AppId, IReadOnlyList<string>? Types,
    IReadOnlyList<SourceCredentialView> Credentials)
{
    public static SourceBackfillView? From(BackfillSettings? settings, IEnumerable<SourceCredential> credentials) => settings is null
        ? null
        : new SourceBackfillView(
            settings.ApiBaseUrl, settings.Owner, settings.Repo, settings.Org, settings.HookId, settings.AppId, settings.Types,
            credentials.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new SourceCredentialView(c.Name, c.Hint, c.CreatedAt)).ToList());
}
