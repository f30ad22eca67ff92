using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Webhooks.Application.Common.Behaviors;

/// <summary>Logs each command's outcome and duration; failures the caller caused are not errors of ours.</summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next().ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogHandled(logger, typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (Exception ex) when (LogFailure(ex, Stopwatch.GetElapsedTime(started).TotalMilliseconds))
        {
            throw;
        }
    }

    private bool LogFailure(Exception ex, double elapsedMs)
    {
        LogFailed(logger, typeof(TRequest).Name, ex.GetType().Name, ex.Message, elapsedMs);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} handled in {ElapsedMs:0.0} ms")]
    private static partial void LogHandled(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} failed with {Exception}: {Reason} after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string request, string exception, string reason, double elapsedMs);
}
