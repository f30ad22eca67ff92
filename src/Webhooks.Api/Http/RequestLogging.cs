using Serilog;

namespace Webhooks.Api.Http;

/// <summary>
/// One log line per request through Serilog.AspNetCore: method, path, status and duration, inside the request's
/// correlation scope. Health and metrics probes log at Debug, so a scraper does not fill the log.
/// </summary>
internal static class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = (context, _, failure) =>
                failure is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/api/v1/health", StringComparison.Ordinal)
                    || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
                    ? Serilog.Events.LogEventLevel.Debug
                    : Serilog.Events.LogEventLevel.Information;
        });
}
