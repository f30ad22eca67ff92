using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Paging;
using Webhooks.Domain.DeadLetters;

namespace Webhooks.Application.Admin.DeadLetters;

public sealed record ListDeadLetters(DeadLetterFilter Filter, string? Status, string? Cursor, int? Limit) : IRequest<Page<DeadLetterSummary>>;

internal sealed class ListDeadLettersHandler(IWebhooksDbContext db) : IRequestHandler<ListDeadLetters, Page<DeadLetterSummary>>
{
    public async Task<Page<DeadLetterSummary>> Handle(ListDeadLetters query, CancellationToken cancellationToken)
    {
        var limit = Cursor.Limit(query.Limit);
        var rows = query.Filter.ApplyTo(db.DeadLettersBefore(Cursor.Decode(query.Cursor)).AsNoTracking());
        if (ParseStatus(query.Status) is { } status)
        {
            rows = rows.Where(d => d.Status == status);
        }

        var page = await rows.OrderByDescending(d => d.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return Cursor.ToPage(page, limit, d => d.Id, DeadLetterSummary.From);
    }

    private static DeadLetterStatus? ParseStatus(string? status) => status switch
    {
        null or "" or "all" => null,
        _ => Cursor.ParseStatus<DeadLetterStatus>(status, "dead, replayed, archived or all"),
    };
}
