using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Application.Common.Behaviors;
using Webhooks.Application.Providers;
using Webhooks.Application.Providers.GitHub;
using Webhooks.Application.Providers.Hmac;
using Webhooks.Application.Providers.PayPal;
using Webhooks.Application.Providers.Shopify;
using Webhooks.Application.Providers.Slack;
using Webhooks.Application.Providers.StandardWebhooks;
using Webhooks.Application.Providers.Stripe;
using Webhooks.Application.Providers.Twilio;

namespace Webhooks.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 has no DI package: the mediator, its service factory, every handler of this assembly and the
    /// pipeline (Logging → Validation → Application scope → Transaction) are registered here; validators through FluentValidation's own.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();

        var assembly = Assembly.GetExecutingAssembly();
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                if (definition == typeof(IRequestHandler<,>) || definition == typeof(INotificationHandler<>))
                {
                    services.AddTransient(contract, type);
                }
            }
        }

        // Validators are stateless and thread-safe, but their rules are built from expression trees in the constructor:
        // once per process, not once per webhook.
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        // Registration order is execution order: Logging → Validation → Application scope → Transaction → handler.
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        // Scope before validation: another application's key learns nothing of what a valid request would be (403 first).
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(Tenants.ApplicationScopeBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TransactionBehavior<,>));
        services.AddTransient<Admin.DeadLetters.DeadLetterRequeue>();
        services.AddScoped<Tenants.ApplicationScope>();
        services.AddScoped<Common.Abstractions.IDomainEventDispatcher, Common.DomainEvents.MediatorDomainEventDispatcher>();
        services.AddScoped<Admin.Alerts.AlertEvaluator>();
        services.AddSingleton<Delivery.Sending.DeliveryResultRecorder>();
        services.AddSingleton<Delivery.Sending.DeliverPendingDeliveries>();
        services.AddSingleton<Ingestion.WebhookStorage>();
        services.AddTransient<Backfill.GitHubRedelivery>();
        services.AddTransient<Backfill.StripeImport>();

        services.AddSingleton<IWebhookProvider, ShopifyProvider>();
        services.AddSingleton<IWebhookProvider, StripeProvider>();
        services.AddSingleton<IWebhookProvider, GitHubProvider>();
        services.AddSingleton<IWebhookProvider, TwilioProvider>();
        services.AddSingleton<IWebhookProvider, PayPalProvider>();
        services.AddSingleton<IWebhookProvider, SlackProvider>();
        services.AddSingleton<IWebhookProvider, StandardWebhooksProvider>();
        services.AddSingleton<IWebhookProvider, HmacProvider>();
        services.AddSingleton<ProviderRegistry>();
        return services;
    }
}
