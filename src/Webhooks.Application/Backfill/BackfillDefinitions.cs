using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Sources;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>
/// Checks a source's Backfill section, naming the key of every problem: start-up refuses a configuration that could
/// not recover anything, and the admin API refuses such a change.
/// </summary>
public static partial class BackfillDefinitions
{
    public const string DefaultStripeApiBaseUrl = "https://api.stripe.com";

    /// <summary>Stripe accepts at most this many types[] in one list request.</summary>
    public const int MaxStripeTypes = 20;

    /// <summary>
    /// The Stripe types the gateway maps, which a Stripe backfill imports unless Types says otherwise
    /// (payment_intent.failed is mapped for senders that relay it under that name; Stripe itself never sends it).
    /// </summary>
    public static IReadOnlyList<string> DefaultStripeTypes { get; } =
        StripeProvider.MappedTypes.Where(t => t != "payment_intent.failed").Order(StringComparer.Ordinal).ToList();

    /// <param name="key">The section's key, e.g. Webhooks:Sources:github:Backfill.</param>
    /// <param name="stored">The credentials the source already has stored (an admin change need not repeat them).</param>
    public static IEnumerable<string> Check(string key, ProviderKind provider, BackfillSettings backfill, IReadOnlyCollection<string>? stored = null)
    {
        bool Has(string? value, string name) => !string.IsNullOrWhiteSpace(value) || (value is null && stored?.Contains(name) == true);

        if (provider is not (ProviderKind.GitHub or ProviderKind.Stripe))
        {
            yield return $"{key} is for github and stripe sources only: the other providers either resend failed deliveries for hours or days themselves, or offer no API to recover them.";
            yield break;
        }

        if (backfill.ApiBaseUrl is { } baseUrl && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)))
        {
            yield return $"{key}:ApiBaseUrl must be an absolute https URL without credentials, query or fragment, such as {(provider == ProviderKind.GitHub ? GitHubHook.DefaultApiBaseUrl : DefaultStripeApiBaseUrl)}.";
        }

        if (provider == ProviderKind.GitHub)
        {
            if (backfill.ApiKey is not null || backfill.Types is not null)
            {
                yield return $"{key}:ApiKey and Types are for stripe sources; a GitHub backfill uses Token (or AppId and PrivateKey) and the hook.";
            }

            if (backfill.HookId is <= 0)
            {
                yield return $"{key}:HookId must be a positive number (the X-GitHub-Hook-ID of the hook's deliveries).";
            }

            var path = GitHubHook.PathOf(backfill);
            if (path is null)
            {
                yield return $"{key} must name one hook: Owner, Repo and HookId (a repository's), Org and HookId (an organisation's), or AppId and PrivateKey alone (a GitHub App's own hook).";
            }
            else if (path == GitHubHook.AppHookPath)
            {
                if (!Has(backfill.PrivateKey, SourceCredential.PrivateKey))
                {
                    yield return $"{key}:PrivateKey is required with AppId: the app's private key (PEM) that signs the JWT GitHub requires for its hook.";
                }
            }
            else
            {
                if (!Has(backfill.Token, SourceCredential.Token))
                {
                    yield return $"{key}:Token is required for a repository's or an organisation's hook: a token that may read and redeliver its deliveries.";
                }

                if (backfill.AppId is not null)
                {
                    yield return $"{key}:AppId is for a GitHub App's own hook; a repository's or an organisation's hook is reached with Token.";
                }
            }

            if (!string.IsNullOrWhiteSpace(backfill.PrivateKey) && !IsRsaPrivateKey(backfill.PrivateKey))
            {
                yield return $"{key}:PrivateKey is not an RSA private key in PEM form (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----), as GitHub issues them.";
            }
        }
        else
        {
            if (backfill.Token is not null || backfill.Owner is not null || backfill.Repo is not null || backfill.Org is not null
                || backfill.HookId is not null || backfill.AppId is not null || backfill.PrivateKey is not null)
            {
                yield return $"{key}:Token, Owner, Repo, Org, HookId, AppId and PrivateKey are for github sources; a Stripe backfill uses ApiKey and Types.";
            }

            if (!Has(backfill.ApiKey, SourceCredential.ApiKey))
            {
                yield return $"{key}:ApiKey is required: a Stripe secret or restricted key that may read events.";
            }

            if (backfill.Types is { } types)
            {
                if (types.Count is 0 or > MaxStripeTypes)
                {
                    yield return $"{key}:Types must list 1 to {MaxStripeTypes} event types (Stripe's limit for one list request), or be left out for the types the gateway maps.";
                }

                foreach (var type in types.Where(t => t is null || !StripeType().IsMatch(t)))
                {
                    yield return $"{key}:Types has '{type}', which is not a Stripe event type such as payment_intent.succeeded.";
                }
            }
        }
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9_]+(\\.[a-z0-9_]+)+\\z")]
    private static partial Regex StripeType();
}
