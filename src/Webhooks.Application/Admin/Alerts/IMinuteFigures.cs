namespace Webhooks.Application.Admin.Alerts;

/// <summary>This instance's per-minute figures (ingest outcomes, relay and delivery), which the alerts read from the shared tables.</summary>
public interface IMinuteFigures
{
    /// <summary>Adds what this instance counted since the last flush, so an evaluation sees it.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
