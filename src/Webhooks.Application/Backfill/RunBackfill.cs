using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Application.Delivery;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Backfill;

/// <summary>
/// Runs the backfill of every source that has one (or of the one named): GitHub redeliveries asked for, Stripe events
/// stored. A source another instance is running is passed over; the others run one after the other, each within
/// Webhooks:Backfill:MaxRunTime and MaxPages.
/// </summary>
public sealed record RunBackfill(string? Source = null) : IRequest<IReadOnlyList<BackfillRunView>>;

/// <summary>One source's run: how it ended and what it found, recovered and passed over.</summary>
public sealed record BackfillRunView(string Source, string Outcome, int Found, int Recovered, int Skipped, string? Error);

internal sealed partial class RunBackfillHandler(
    IBackfillStore store,
    GitHubRedelivery github,
    StripeImport stripe,
    IDestinationGuard guard,
    IBackfillObserver observer,
    IOptions<BackfillOptions> options,
    TimeProvider clock,
    ILogger<RunBackfillHandler> logger) : IRequestHandler<RunBackfill, IReadOnlyList<BackfillRunView>>
{
    private const int MaxErrorLength = 500;

    /// <summary>A run's lease outlasts its time bound by this much: a run cut short by a crash is taken up again after.</summary>
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<BackfillRunView>> Handle(RunBackfill command, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var runs = new List<BackfillRunView>();
        foreach (var source in await store.SourcesAsync(command.Source, cancellationToken))
        {
            if (source.Enabled)
            {
                runs.Add(await RunAsync(source, settings, cancellationToken));
            }
        }

        await store.ForgetRequestsAsync(clock.GetUtcNow() - settings.Lookback - TimeSpan.FromDays(1), cancellationToken);
        return runs;
    }

    private async Task<BackfillRunView> RunAsync(BackfillSource source, BackfillOptions settings, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var lease = await store.StartAsync(source.Name, started, settings.MaxRunTime + LeaseMargin, cancellationToken);
        if (lease is null)
        {
            return new BackfillRunView(source.Name, BackfillOutcomes.Busy, 0, 0, 0, null);
        }

        var since = BackfillWindow.Since(started, lease.CoveredUntil, settings.Overlap, settings.Lookback);
        var progress = new BackfillProgress(started + settings.MaxRunTime, settings.MaxPages);
        string outcome;
        string? error = null;
        DateTimeOffset? pausedUntil = null;
        if (lease.PausedUntil is { } paused && paused > started)
        {
            outcome = BackfillOutcomes.RateLimited;
            pausedUntil = paused;
            error = $"waiting for the provider's rate limit until {paused:O}";
        }
        else
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(settings.MaxRunTime + TimeSpan.FromSeconds(5));
                await RunProviderAsync(source, since, progress, bounded.Token);
                outcome = progress.Complete ? BackfillOutcomes.Succeeded : BackfillOutcomes.Incomplete;
                error = progress.Note;
            }
            catch (ProviderRateLimitedException ex)
            {
                outcome = BackfillOutcomes.RateLimited;
                pausedUntil = ex.Until;
                error = ex.Message;
            }
            catch (ProviderApiException ex)
            {
                outcome = BackfillOutcomes.Failed;
                error = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = BackfillOutcomes.Incomplete;
                error = $"stopped after Webhooks:Backfill:MaxRunTime ({settings.MaxRunTime})";
            }
            catch (OperationCanceledException)
            {
                outcome = BackfillOutcomes.Incomplete;
                error = "stopped: the instance is shutting down";
            }
            catch (Exception ex)
            {
                // The database went away mid-run, most likely (the inbox could not be read or written): recorded if it
                // can be, and the lease released either way, so the run right after the outage is not passed over.
                outcome = BackfillOutcomes.Failed;
                error = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        // Only a failure counts towards the alert; a rate limit neither breaks nor extends the run of failures.
        var failedInARow = outcome switch
        {
            BackfillOutcomes.Failed => lease.FailedRunsInARow + 1,
            BackfillOutcomes.RateLimited => lease.FailedRunsInARow,
            _ => 0,
        };
        var finished = clock.GetUtcNow();
        error = error is { Length: > MaxErrorLength } text ? text[..MaxErrorLength] : error;
        await store.FinishAsync(new BackfillRunRecord(
            source.Name, started, finished, outcome, progress.Found, progress.Recovered, progress.Skipped, error,
            outcome == BackfillOutcomes.Succeeded ? started : lease.CoveredUntil, pausedUntil, failedInARow), CancellationToken.None);
        observer.Ran(source.Name, outcome, progress.Found, progress.Recovered, (finished - started).TotalSeconds);
        if (outcome == BackfillOutcomes.Failed)
        {
            LogFailed(logger, source.Name, failedInARow, error);
        }
        else if (progress.Found > 0 || outcome != BackfillOutcomes.Succeeded)
        {
            LogRan(logger, source.Name, outcome, progress.Found, progress.Recovered, progress.Skipped, since);
        }

        return new BackfillRunView(source.Name, outcome, progress.Found, progress.Recovered, progress.Skipped, error);
    }

    private async Task RunProviderAsync(BackfillSource source, DateTimeOffset since, BackfillProgress progress, CancellationToken cancellationToken)
    {
        var baseUrl = source.Settings.ApiBaseUrl ?? (source.Provider == ProviderKind.GitHub ? GitHubHook.DefaultApiBaseUrl : BackfillDefinitions.DefaultStripeApiBaseUrl);
        if (await guard.RefuseAsync(baseUrl, cancellationToken) is { } refused)
        {
            throw new ProviderApiException($"Backfill:ApiBaseUrl refused by the outbound destination rules: {refused}");
        }

        switch (source.Provider)
        {
            case ProviderKind.GitHub:
                await github.RunAsync(source, since, progress, cancellationToken);
                break;
            case ProviderKind.Stripe:
                await stripe.RunAsync(source, since, progress, cancellationToken);
                break;
            default:
                throw new ProviderApiException($"Provider {source.Provider.ToName()} has no backfill.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: {Outcome}; {Found} missing, {Recovered} recovered, {Skipped} passed over (since {Since})")]
    private static partial void LogRan(ILogger logger, string source, string outcome, int found, int recovered, int skipped, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill of {Source} failed ({FailedInARow} in a row): {Error}")]
    private static partial void LogFailed(ILogger logger, string source, int failedInARow, string? error);
}
