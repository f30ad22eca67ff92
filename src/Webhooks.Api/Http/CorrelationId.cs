namespace Webhooks.Api.Http;

/// <summary>
/// X-Correlation-ID: accepted when the caller sends a sane one, generated otherwise; returned on the response,
/// attached to every log line of the request and carried into the events.
/// </summary>
internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string Header = "X-Correlation-ID";
    private const string ItemKey = "webhooks.correlation-id";

    public async Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var id = IsAcceptable(supplied) ? supplied : Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? Guid.NewGuid().ToString("N");

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is >= '!' and <= '~');
}
