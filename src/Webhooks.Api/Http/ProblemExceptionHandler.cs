using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Api.Http;

/// <summary>Every failure becomes application/problem+json with a specific status and reason (never a bare 500 for bad input).</summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems, IngestFailures ingestFailures, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; there is nobody to answer.
        }

        var (status, title, detail) = exception switch
        {
            SourceNotFoundException e => (StatusCodes.Status404NotFound, "Unknown source", e.Message),
            AddressNotAllowedException e => (StatusCodes.Status403Forbidden, "Address not allowed", e.Message),
            SignatureRejectedException e => (StatusCodes.Status401Unauthorized, "Invalid signature", e.Message),
            MalformedWebhookException e => (StatusCodes.Status400BadRequest, "Malformed webhook", e.Message),
            ValidationException e => (StatusCodes.Status400BadRequest, "Invalid request", e.Errors.Any() ? string.Join(" ", e.Errors.Select(x => x.ErrorMessage)) : e.Message),
            PayloadTooLargeException e => (StatusCodes.Status413PayloadTooLarge, "Body too large", e.Message),
            StorageUnavailableException e => (StatusCodes.Status503ServiceUnavailable, "Temporarily unable to store the webhook", e.Message + " Retry later."),
            BodyBudgetExceededException e => (StatusCodes.Status503ServiceUnavailable, "Too many bodies in flight from this address", e.Message),
            IngestRequestTimeoutException e => (StatusCodes.Status408RequestTimeout, "Request too slow", e.Message),
            NotFoundException e => (StatusCodes.Status404NotFound, "Not found", e.Message),
            ConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Message),
            ForbiddenException e => (StatusCodes.Status403Forbidden, "Not allowed for this key", e.Message),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => (StatusCodes.Status400BadRequest, "Form expired", "The form's anti-forgery token is missing or invalid: reload the page and try again."),
            _ when DatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                "The database cannot be reached right now; nothing was changed. Try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "An unexpected error occurred; it has been logged."),
        };

        // A delivery that failed verification spends its (client, source) failure budget; past it, the answer is 429.
        if (status is 400 or 401 or 403 or 404 or 413 && IngestSource.Of(httpContext) is { } source)
        {
            httpContext.Items[IngestMetricsMiddleware.RejectionItem] = detail;
            if (ingestFailures.Record(httpContext, source.Known?.Name) is { } wait)
            {
                await RateLimits.TooMany(httpContext, wait, "Too many failed deliveries",
                    $"Too many deliveries from this address to this source failed ({title.ToLowerInvariant()}: {detail}). Verified deliveries are not throttled.");
                return true;
            }
        }

        if (status >= 500 && exception is not (StorageUnavailableException or BodyBudgetExceededException) && !DatabaseUnavailable(exception))
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "");
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = $"https://httpstatuses.io/{status}",
                Instance = httpContext.Request.Path,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    /// <summary>
    /// An outage of the database, not a defect: a transient database error anywhere in the chain (the driver says so),
    /// or the execution strategy giving up on one. Answered 503 + Retry-After like ingest's, and not logged as an error.
    /// </summary>
    private static bool DatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
