using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.Inbox;

public sealed record GetInboxMessage(Guid Id) : IRequest<InboxDetail>;

internal sealed class GetInboxMessageHandler(IWebhooksDbContext db) : IRequestHandler<GetInboxMessage, InboxDetail>
{
    public async Task<InboxDetail> Handle(GetInboxMessage query, CancellationToken cancellationToken) =>
        await InboxDetails.Build(db, await db.Inbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Inbox message", query.Id), cancellationToken);
}
