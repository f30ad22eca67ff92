using MediatR;
using Webhooks.Application.Common.Abstractions;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>Wraps commands marked <see cref="ITransactionalCommand"/> in one transaction; queries and ingest pass through.</summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(ITransactionRunner transactions) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        request is ITransactionalCommand
            ? transactions.RunAsync(() => next(), cancellationToken)
            : next();
}
