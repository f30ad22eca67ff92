namespace Webhooks.Application.Tenants;

/// <summary>A request under <c>/api/v1/applications/{app}/…</c> (or the portal): it acts for the application it names.</summary>
public interface IApplicationScoped
{
    /// <summary>The application's id or uid; null for the operators' routes, which see every application.</summary>
    string? Application { get; }
}
