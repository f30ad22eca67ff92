using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Webhooks.Api.Admin;
using Webhooks.Api.Infrastructure;
using Webhooks.Api.OpenApi;

namespace Webhooks.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddControllers(mvc =>
        {
            // Signatures cover the raw body: MVC must never read a form body (Twilio, Slack) before we do.
            mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
        }).AddJsonOptions(json =>
        {
            json.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.JsonSerializerOptions.DictionaryKeyPolicy = null;
        });
        // No default scheme (not even the one ASP.NET Core infers from a single scheme): only admin endpoints, whose
        // policy names the scheme, look at Authorization, so a provider's or publisher's credentials never count as
        // failed admin logins.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminKeyHandler>(AdminKeyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminKeyHandler.Policy, policy => policy.AddAuthenticationSchemes(AdminKeyHandler.SchemeName).RequireAuthenticatedUser());
        services.AddSingleton<LoginFailures>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "webhooks.antiforgery";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddProblemDetails();
        services.AddApiReference();
        services.AddWebhookRateLimits();
        services.AddKnownProxies();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
