using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Paging;

namespace Webhooks.Application.Tenants;

/// <summary>Applications, oldest first, with keyset paging.</summary>
public sealed record ListApplications(int? Limit, string? Cursor) : IRequest<Page<ApplicationView>>;

/// <summary>One application by id or uid.</summary>
public sealed record GetApplication(string Application) : IRequest<ApplicationView>, IApplicationScoped;

internal sealed class ListApplicationsHandler(IWebhooksDbContext db) : IRequestHandler<ListApplications, Page<ApplicationView>>
{
    public async Task<Page<ApplicationView>> Handle(ListApplications query, CancellationToken cancellationToken)
    {
        var limit = Cursor.Limit(query.Limit);
        var rows = db.Tenants.AsNoTracking();
        if (Cursor.Decode(query.Cursor) is { } after)
        {
            rows = rows.Where(t => t.Id.CompareTo(after) > 0);
        }

        var found = await rows.OrderBy(t => t.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return Cursor.ToPage(found, limit, t => t.Id, ApplicationView.From);
    }
}

internal sealed class GetApplicationHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<GetApplication, ApplicationView>
{
    public async Task<ApplicationView> Handle(GetApplication query, CancellationToken cancellationToken) =>
        ApplicationView.From(await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == scope.Id, cancellationToken)
            ?? throw new NotFoundException("Application", query.Application));
}
