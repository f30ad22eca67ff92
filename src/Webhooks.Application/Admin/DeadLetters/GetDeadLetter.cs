using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Admin.DeadLetters;

public sealed record GetDeadLetter(Guid Id) : IRequest<DeadLetterDetail>;

internal sealed class GetDeadLetterHandler(IWebhooksDbContext db) : IRequestHandler<GetDeadLetter, DeadLetterDetail>
{
    public async Task<DeadLetterDetail> Handle(GetDeadLetter query, CancellationToken cancellationToken) =>
        DeadLetterDetail.From(await db.DeadLetters.AsNoTracking().FirstOrDefaultAsync(d => d.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Dead letter", query.Id));
}
