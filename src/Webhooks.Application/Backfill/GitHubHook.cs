using Webhooks.Application.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>
/// The GitHub hook a backfill watches, as the REST API addresses it: a repository's (/repos/{owner}/{repo}/hooks/{id}),
/// an organisation's (/orgs/{org}/hooks/{id}) — both with a token — or a GitHub App's own (/app/hook), with a JWT signed
/// by the app's private key.
/// </summary>
public sealed record GitHubHook(string ApiBaseUrl, string Path, string? Token, string? AppId, string? PrivateKey)
{
    public const string DefaultApiBaseUrl = "https://api.github.com";
    public const string AppHookPath = "/app/hook";

    /// <summary>An app's hook, reached with a JWT rather than a token.</summary>
    public bool IsAppHook => Path == AppHookPath;

    /// <summary>The hook's path under the API, or null when the settings name no hook (or two).</summary>
    public static string? PathOf(BackfillSettings settings)
    {
        bool repository = !string.IsNullOrWhiteSpace(settings.Owner) || !string.IsNullOrWhiteSpace(settings.Repo);
        bool organisation = !string.IsNullOrWhiteSpace(settings.Org);
        return (repository, organisation, settings.HookId) switch
        {
            (true, false, { } id) when !string.IsNullOrWhiteSpace(settings.Owner) && !string.IsNullOrWhiteSpace(settings.Repo) =>
                $"/repos/{Uri.EscapeDataString(settings.Owner!.Trim())}/{Uri.EscapeDataString(settings.Repo!.Trim())}/hooks/{id}",
            (false, true, { } id) => $"/orgs/{Uri.EscapeDataString(settings.Org!.Trim())}/hooks/{id}",
            (false, false, null) when !string.IsNullOrWhiteSpace(settings.AppId) => AppHookPath,
            _ => null,
        };
    }

    /// <summary>The hook of valid settings (checked by <see cref="BackfillDefinitions.Check"/>).</summary>
    public static GitHubHook From(BackfillSettings settings) => new(
        (settings.ApiBaseUrl ?? DefaultApiBaseUrl).TrimEnd('/'),
        PathOf(settings) ?? throw new ArgumentException("The backfill settings name no GitHub hook.", nameof(settings)),
        settings.Token,
        settings.AppId?.Trim(),
        settings.PrivateKey);
}
