using System.Text.Json;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Webhooks.Application.Common.Abstractions;
using Webhooks.Application.Common.Exceptions;
using Webhooks.Application.Common.Json;
using Webhooks.Application.Tenants;
using Webhooks.Domain.Delivery;

namespace Webhooks.Application.Delivery.Subscriptions;

/// <summary>
/// A dry run of a filter (contract v3): the given filter, else the subscription's own, over the last
/// <paramref name="Limit"/> (default 100) events of its application, its event patterns applying too. Nothing is sent.
/// </summary>
public sealed record TestSubscriptionFilter(Guid Id, JsonElement? Filter, int? Limit, string? Application = null) : IRequest<FilterTestResult>, IApplicationScoped;

internal sealed class TestSubscriptionFilterValidator : AbstractValidator<TestSubscriptionFilter>
{
    public TestSubscriptionFilterValidator()
    {
        RuleFor(c => c.Limit).InclusiveBetween(1, 1000).WithMessage("limit must be between 1 and 1000.");
        RuleFor(c => new SubscriptionInput { Filter = c.Filter }).SetValidator(new FilterOnly());
    }

    private sealed class FilterOnly : AbstractValidator<SubscriptionInput>
    {
        public FilterOnly() => SubscriptionRules.ApplyFilter(this, i => i);
    }
}

internal sealed class TestSubscriptionFilterHandler(IWebhooksDbContext db, ApplicationScope scope) : IRequestHandler<TestSubscriptionFilter, FilterTestResult>
{
    public async Task<FilterTestResult> Handle(TestSubscriptionFilter query, CancellationToken cancellationToken)
    {
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == query.Id, cancellationToken)
            ?? throw new NotFoundException("Subscription", query.Id);
        scope.Require(subscription.ApplicationId, "Subscription", query.Id);

        var json = query.Filter is { } given ? SubscriptionMapping.FilterText(given) : subscription.Filter;
        EventFilter? filter = null;
        if (json is not null)
        {
            using var document = JsonDocument.Parse(json);
            filter = EventFilter.Parse(document.RootElement);
        }

        var application = subscription.ApplicationId;
        var events = await db.DeliveryEvents.AsNoTracking()
            .Where(e => e.ApplicationId == application)
            .OrderByDescending(e => e.CreatedAt)
            .Take(query.Limit ?? 100)
            .Select(e => new { e.Id, e.Type, e.Data })
            .ToListAsync(cancellationToken);
        var matched = events
            .Where(e => EventPatterns.Matches(subscription.Events, e.Type) && (filter is null || filter.Matches(e.Type, StoredJson.Element(e.Data))))
            .Select(e => e.Id)
            .ToList();
        return new FilterTestResult(matched, events.Count);
    }
}
