namespace Webhooks.Application.Common.Abstractions;

/// <summary>A command whose handler must run in one transaction.</summary>
public interface ITransactionalCommand;
