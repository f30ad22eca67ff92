using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Primitives;

namespace Webhooks.Api.Admin;

/// <summary>What every dashboard page shares: its security headers, anti-forgery checks on every POST, form reading.</summary>
public abstract class DashboardControllerBase(IAntiforgery antiforgery) : Controller
{
    /// <summary>
    /// Styles and the confirmation script are files the app serves (<see cref="DashboardAssets"/>), so the policy
    /// allows nothing inline.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public override void OnActionExecuting(ActionExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        base.OnActionExecuting(context);
    }

    /// <summary>Validates the anti-forgery token, runs the command and sends the browser to <paramref name="then"/>.</summary>
    protected async Task<IActionResult> PostThenRedirectAsync<T>(Func<Task<T>> command, string then)
    {
        await antiforgery.ValidateRequestAsync(HttpContext);
        await command();
        return Redirect(then);
    }

    /// <summary>Validates the anti-forgery token and reads the posted form.</summary>
    protected async Task<IFormCollection> FormAsync(CancellationToken cancellationToken)
    {
        await antiforgery.ValidateRequestAsync(HttpContext);
        return await Request.ReadFormAsync(cancellationToken);
    }

    /// <summary>A form field's text, or null when the field is missing or empty.</summary>
    protected static string? FieldOrNull(StringValues field) => string.IsNullOrEmpty(field.ToString()) ? null : field.ToString();
}
