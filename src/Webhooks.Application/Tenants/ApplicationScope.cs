using Webhooks.Application.Common.Exceptions;
using Webhooks.Domain.Tenants;

namespace Webhooks.Application.Tenants;

/// <summary>
/// The application the current request acts for, set once by <see cref="ApplicationScopeBehavior{TRequest, TResponse}"/>:
/// handlers restrict what they read and change to it. Null: an operator's (or the service's own) request, which sees
/// every application.
/// </summary>
public sealed class ApplicationScope
{
    public Guid? Id { get; internal set; }

    /// <summary>The application new things belong to: the scope's, else the one an operator named, else 'default'.</summary>
    public Guid ForNew(Guid? named = null) => Id ?? named ?? Tenant.DefaultId;

    /// <summary>Whether a record of <paramref name="application"/> is visible in this scope.</summary>
    public bool Includes(Guid application) => Id is null || Id == application;

    /// <summary>Refuses a record outside the scope as not found: another application's records do not exist for this caller.</summary>
    /// <exception cref="NotFoundException">The record belongs to another application.</exception>
    public void Require(Guid application, string what, object id)
    {
        if (!Includes(application))
        {
            throw new NotFoundException(what, id);
        }
    }
}
