using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Application.Admin.Sources;

public sealed record ListSources : IRequest<Page<SourceView>>;

internal sealed class ListSourcesHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<ListSources, Page<SourceView>>
{
    public async Task<Page<SourceView>> Handle(ListSources query, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sources = await db.Sources.AsNoTracking().Include(s => s.Secrets).Include(s => s.Credentials).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return new Page<SourceView>(sources.Select(s => SourceView.From(s, now)).ToList(), null);
    }
}
