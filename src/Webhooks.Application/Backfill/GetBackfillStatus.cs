using MediatR;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Backfill;

/// <summary>One source's backfill status; 404 when the source has no backfill.</summary>
public sealed record GetBackfillStatus(string Source) : IRequest<BackfillStatusView>;

internal sealed class GetBackfillStatusHandler(IBackfillStore store, TimeProvider clock) : IRequestHandler<GetBackfillStatus, BackfillStatusView>
{
    public async Task<BackfillStatusView> Handle(GetBackfillStatus query, CancellationToken cancellationToken)
    {
        var sources = await store.SourcesAsync(query.Source, cancellationToken);
        if (sources.Count == 0)
        {
            throw new NotFoundException("Backfill of source", query.Source);
        }

        var states = await store.StatesAsync(query.Source, clock.GetUtcNow(), cancellationToken);
        return BackfillStatusView.From(sources[0], states.Count > 0 ? states[0] : null);
    }
}
