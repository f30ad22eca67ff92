using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Webhooks.Api.Admin;
using Webhooks.Api.Infrastructure;

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
        services.AddAuthentication(AdminKeyHandler.SchemeName)
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
        services.AddWebhookRateLimits();
        services.AddKnownProxies();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
