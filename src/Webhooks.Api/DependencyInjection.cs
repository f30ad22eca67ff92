using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Webhooks.Api.Admin;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Api.Portal;

namespace Webhooks.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddControllersWithViews(mvc =>
        {
            // Signatures cover the raw body: MVC must never read a form body (Twilio, Slack) before we do.
            mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
        }).AddJsonOptions(json =>
        {
            json.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.JsonSerializerOptions.DictionaryKeyPolicy = null;
            // Stored bodies and envelopes nest deeper than the serializer's default of 64 (see StoredJson).
            json.JsonSerializerOptions.MaxDepth = Webhooks.Application.Common.Json.StoredJson.MaxDepth;
        });
        // Razor encodes what markup needs encoded, not every character outside ASCII (the dashboard shows "…", "·").
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddAdminAuthentication();
        services.AddPortal();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "webhooks.antiforgery";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // One cookie for both dashboards: pages inside /hangfire post their forms to /admin's actions.
            options.Cookie.Path = "/";
            // Secure whenever the dashboard is reached over HTTPS (behind a proxy, X-Forwarded-Proto from a known proxy).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddProblemDetails();
        services.AddApiReference();
        services.AddWebhookRateLimits();
        services.AddKnownProxies();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
