namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// The service with a GitHub source whose backfill watches a repository hook of the GitHub stub, and a Stripe source
/// whose backfill lists the Stripe stub's events; both stubs on loopback, started before the service so their
/// addresses can be configured. The scheduler is off unless a test class turns it on: the tests run backfills
/// themselves, so none runs behind their back.
/// </summary>
public class BackfillApp : WebhooksApp
{
    public const string GitHubSecret = "github-webhook-secret-for-the-backfill-tests";
    public const string StripeSecret = "whsec_stripe-secret-for-the-backfill-tests";

    internal GitHubApiStub GitHub { get; private set; } = null!;

    internal StripeApiStub Stripe { get; private set; } = null!;

    /// <summary>The Stripe types the stripe source imports.</summary>
    public static readonly string[] StripeTypes = ["payment_intent.succeeded", "customer.created"];

    /// <summary>Webhooks:Backfill:Every when the scheduler runs, else null (scheduler off).</summary>
    protected virtual string? Every => null;

    protected virtual bool AllowPrivateNetworks => true;

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var (owner, repo, _) = GitHubApiStub.Names;
            var settings = new Dictionary<string, string?>
            {
                ["Webhooks:Sources:github:Provider"] = "github",
                ["Webhooks:Sources:github:Secrets:0"] = GitHubSecret,
                ["Webhooks:Sources:github:Backfill:ApiBaseUrl"] = GitHub.BaseUrl,
                ["Webhooks:Sources:github:Backfill:Owner"] = owner,
                ["Webhooks:Sources:github:Backfill:Repo"] = repo,
                ["Webhooks:Sources:github:Backfill:HookId"] = GitHub.HookId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhooks:Sources:github:Backfill:Token"] = GitHub.Token,
                ["Webhooks:Sources:stripe:Provider"] = "stripe",
                ["Webhooks:Sources:stripe:Secrets:0"] = StripeSecret,
                ["Webhooks:Sources:stripe:Backfill:ApiBaseUrl"] = Stripe.BaseUrl,
                ["Webhooks:Sources:stripe:Backfill:ApiKey"] = Stripe.ApiKey,
                ["Webhooks:Sources:stripe:Backfill:Types:0"] = StripeTypes[0],
                ["Webhooks:Sources:stripe:Backfill:Types:1"] = StripeTypes[1],
                ["Webhooks:Delivery:AllowHttp"] = "true",
                ["Webhooks:Delivery:AllowPrivateNetworks"] = AllowPrivateNetworks ? "true" : "false",
                ["Webhooks:Backfill:Enabled"] = Every is null ? "false" : "true",
            };
            if (Every is { } every)
            {
                settings["Webhooks:Backfill:Every"] = every;
            }

            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        GitHub = await GitHubApiStub.StartAsync("github", GitHubSecret);
        Stripe = await StripeApiStub.StartAsync();
        await base.InitializeAsync();
        GitHub.Gateway = CreateClient();
    }

    public override async ValueTask DisposeAsync()
    {
        GitHub?.Gateway?.Dispose();
        await base.DisposeAsync();
        if (GitHub is not null)
        {
            await GitHub.DisposeAsync();
        }

        if (Stripe is not null)
        {
            await Stripe.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The same, with the scheduler running every 5 s (the shortest interval honoured).</summary>
public sealed class ScheduledBackfillApp : BackfillApp
{
    protected override string? Every => "00:00:05";
}

/// <summary>The same, with private networks refused: the stubs on loopback are out of bounds.</summary>
public sealed class PrivateNetworksRefusedBackfillApp : BackfillApp
{
    protected override bool AllowPrivateNetworks => false;
}
