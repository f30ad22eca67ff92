namespace Webhooks.Application.Common.Abstractions;

/// <summary>Who sends the current request, as authenticated: what the application scope is decided from.</summary>
public interface ICaller
{
    CallerKind Kind { get; }

    /// <summary>The one application an application key or a portal session acts for; null for the others.</summary>
    Guid? ApplicationId { get; }
}

public enum CallerKind
{
    /// <summary>Not an HTTP request: a background job or the service itself.</summary>
    System = 0,

    /// <summary>An HTTP request without credentials (a provider's delivery, a health probe).</summary>
    Anonymous = 4,

    /// <summary>The admin key, a named admin or read-only key, or a publisher key.</summary>
    Operator = 1,

    /// <summary>An application's key.</summary>
    ApplicationKey = 2,

    /// <summary>A partner's portal session, opened by a portal link.</summary>
    Portal = 3,
}
