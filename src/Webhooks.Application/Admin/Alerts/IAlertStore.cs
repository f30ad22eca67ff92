using Webhooks.Domain.Alerts;

namespace Webhooks.Application.Admin.Alerts;

/// <summary>Where alerts live; every change to them happens in one <see cref="IAlertTransaction"/>.</summary>
public interface IAlertStore
{
    Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, string? kind, string? subject, Guid? before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction; with <paramref name="evaluation"/> it first takes the lock that
    /// makes one evaluation at a time across instances, so each transition is decided and published once.
    /// </summary>
    Task<T> InTransactionAsync<T>(bool evaluation, Func<IAlertTransaction, Task<T>> work, CancellationToken cancellationToken);
}
