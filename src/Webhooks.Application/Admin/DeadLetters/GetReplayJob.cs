using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.DeadLetters;

public sealed record GetReplayJob(Guid Id) : IRequest<ReplayJobView>;

internal sealed class GetReplayJobHandler(IWebhooksDbContext db) : IRequestHandler<GetReplayJob, ReplayJobView>
{
    public async Task<ReplayJobView> Handle(GetReplayJob query, CancellationToken cancellationToken) =>
        ReplayJobView.From(await db.ReplayJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Job", query.Id));
}
