using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Webhooks.Api.Admin;

namespace Webhooks.Api.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json), generated from the controllers, and its browsable form (/docs). What the
/// attributes cannot say is added here, by route family: who may call (the admin and publisher Bearer schemes) and the
/// problem+json answers each family gives.
/// </summary>
internal static class ApiReference
{
    public const string AdminScheme = "admin";
    public const string PublisherScheme = "publisher";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<DescribeDocument>();
            options.AddOperationTransformer<DescribeOperation>();
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("Webhooks API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }

    private sealed class DescribeDocument : IOpenApiDocumentTransformer
    {
        public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
        {
            document.Info = new OpenApiInfo
            {
                Title = "Webhooks",
                Version = "v1",
                Description = "A webhook gateway: providers post to /api/v1/webhooks/{source}; verified webhooks are stored in a "
                    + "PostgreSQL inbox and published to RabbitMQ as CloudEvents; operators administer the inbox, dead "
                    + "letters, sources and outbound subscriptions. Every error is application/problem+json.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[AdminScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Authorization: Bearer with Webhooks:Admin:ApiKey or a named admin key. After 10 failures a "
                    + "minute a client is answered 429 with Retry-After; the right key always works.",
            };
            document.Components.SecuritySchemes[PublisherScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Authorization: Bearer with one of Webhooks:Delivery:PublisherKeys (or the admin key): "
                    + "POST /api/v1/events only.",
            };
            return Task.CompletedTask;
        }
    }

    private sealed class DescribeOperation : IOpenApiOperationTransformer
    {
        public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
        {
            var path = "/" + (context.Description.RelativePath ?? "");
            var adminOnly = context.Description.ActionDescriptor.EndpointMetadata
                .OfType<AuthorizeAttribute>().Any(a => a.Policy == AdminKeyHandler.Policy);
            var problems = new List<(int Status, string Why)>();
            if (path.StartsWith("/api/v1/webhooks/", StringComparison.Ordinal))
            {
                problems.Add((400, "malformed body, or a provider header the scheme requires is missing"));
                problems.Add((401, "missing or invalid signature, or a signed timestamp outside the tolerance"));
                problems.Add((403, "the client address is not in the source's AllowedIps"));
                problems.Add((404, "unknown or disabled source"));
                problems.Add((413, "body over the source's MaxBodyBytes"));
                problems.Add((429, "too many failed deliveries from this client (Retry-After); verified deliveries are not throttled"));
                problems.Add((503, "the webhook could not be stored; retry (Retry-After)"));
            }
            else if (adminOnly)
            {
                Secure(operation, context, AdminScheme);
                problems.Add((400, "a parameter or body is invalid"));
                problems.Add((401, "no valid admin key"));
                problems.Add((403, "the key's role may not do this"));
                problems.Add((404, "no such record"));
                problems.Add((429, "too many failed logins from this client (Retry-After)"));
            }
            else if (path.StartsWith("/api/v1/events", StringComparison.Ordinal))
            {
                Secure(operation, context, PublisherScheme);
                Secure(operation, context, AdminScheme);
                problems.Add((400, "the event is invalid"));
                problems.Add((401, "no valid publisher or admin key"));
                problems.Add((413, "the event is larger than 1 MiB"));
                problems.Add((429, "too many failed logins from this client (Retry-After)"));
            }

            if (problems.Count == 0)
            {
                return;
            }

            var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
            operation.Responses ??= new OpenApiResponses();
            foreach (var (status, why) in problems)
            {
                var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (operation.Responses.ContainsKey(key))
                {
                    continue;
                }

                operation.Responses[key] = new OpenApiResponse
                {
                    Description = why,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/problem+json"] = new() { Schema = schema },
                    },
                };
            }
        }

        private static void Secure(OpenApiOperation operation, OpenApiOperationTransformerContext context, string scheme)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
            });
        }
    }
}
