using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Sources;

public sealed record GetSource(string Name) : IRequest<SourceView>;

internal sealed class GetSourceHandler(IWebhooksDbContext db, TimeProvider clock) : IRequestHandler<GetSource, SourceView>
{
    public async Task<SourceView> Handle(GetSource query, CancellationToken cancellationToken)
    {
        var source = await db.Sources.AsNoTracking().Include(s => s.Secrets).Include(s => s.Credentials).FirstOrDefaultAsync(s => s.Name == query.Name, cancellationToken)
            ?? throw new NotFoundException("Source", query.Name);
        return SourceView.From(source, clock.GetUtcNow());
    }
}
