using Serilog;
using Serilog.Events;

namespace Webhooks.Api.Http;

/// <summary>
/// One log line per request through Serilog.AspNetCore: method, path, status and duration, inside the request's
/// correlation scope. Health and metrics probes log at Debug, so a scraper does not fill the log. A portal link's
/// token, which opens a session, never reaches the log: its path is logged as <c>/portal/…</c>.
/// </summary>
internal static class RequestLogging
{
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0.0} ms";
            options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(Shown(path))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
            options.GetLevel = (context, _, failure) =>
                failure is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/api/v1/health", StringComparison.Ordinal)
                    || context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
                    ? Serilog.Events.LogEventLevel.Debug
                    : Serilog.Events.LogEventLevel.Information;
        });

    /// <summary>The path as logged: a portal link (<c>/portal/</c> and its 43-character token) without its token.</summary>
    public static string Shown(string path) =>
        path.StartsWith("/portal/", StringComparison.Ordinal) && path.Length == "/portal/".Length + 43 && !path.AsSpan("/portal/".Length).Contains('/')
            ? "/portal/…"
            : path;
}
