namespace Webhooks.Application.Common.Abstractions;

/// <summary>Runs work in one database transaction, with the provider's retry strategy (the Transaction behaviour).</summary>
public interface ITransactionRunner
{
    Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);
}
