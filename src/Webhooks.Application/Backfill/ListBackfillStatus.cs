using MediatR;

namespace Webhooks.Application.Backfill;

/// <summary>Every source's backfill status, by name (the dashboard's Backfill table).</summary>
public sealed record ListBackfillStatus : IRequest<IReadOnlyList<BackfillStatusView>>;

internal sealed class ListBackfillStatusHandler(IBackfillStore store, TimeProvider clock) : IRequestHandler<ListBackfillStatus, IReadOnlyList<BackfillStatusView>>
{
    public async Task<IReadOnlyList<BackfillStatusView>> Handle(ListBackfillStatus query, CancellationToken cancellationToken)
    {
        var states = (await store.StatesAsync(null, clock.GetUtcNow(), cancellationToken)).ToDictionary(s => s.Source, StringComparer.Ordinal);
        return (await store.SourcesAsync(null, cancellationToken))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => BackfillStatusView.From(s, states.GetValueOrDefault(s.Name)))
            .ToList();
    }
}
