using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Webhooks.Infrastructure.Observability;

/// <summary>
/// The service's spans: ASP.NET Core's own request span (source "Microsoft.AspNetCore") for each ingest, and one
/// "publish {type}" producer span per relay publish (source "Webhooks"), linked to the ingest span whose W3C
/// traceparent the CloudEvent carries. Nothing is recorded unless a listener (the exporter) is attached.
/// </summary>
public static class WebhooksTracing
{
    public const string SourceName = "Webhooks";

    public static readonly ActivitySource Source = new(SourceName, "1.0.0");

    /// <summary>Starts the publish span of one event, or returns null at no cost when nobody listens.</summary>
    public static Activity? StartPublish(Guid eventId, string eventType, string exchange, string envelope)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = TraceParentOf(envelope) is { } parent && ActivityContext.TryParse(parent, null, out var context)
            ? new[] { new ActivityLink(context) }
            : null;
        var activity = Source.StartActivity(ActivityKind.Producer, default(ActivityContext), links: links, name: $"publish {eventType}");
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.destination.name", exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", eventType);
        activity?.SetTag("messaging.message.id", eventId.ToString());
        activity?.SetTag("cloudevents.event_type", eventType);
        return activity;
    }

    private static string? TraceParentOf(string envelope)
    {
        try
        {
            return FindTraceParent(envelope);
        }
        catch (JsonException)
        {
            // An envelope deeper or stranger than the reader takes has no usable trace context; the event still goes.
            return null;
        }
    }

    private static string? FindTraceParent(string envelope)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(envelope), new JsonReaderOptions { MaxDepth = Webhooks.Application.Common.Json.StoredJson.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("traceparent"))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
            {
                reader.Skip();
            }
        }

        return null;
    }
}

/// <summary>
/// Tracing through OpenTelemetry.Extensions.Hosting: ASP.NET Core, HttpClient (outbound deliveries) and Npgsql
/// instrumentation plus the relay's publish spans, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (read
/// from configuration when the provider is built, so environment variables and appsettings both work):
/// OTEL_EXPORTER_OTLP_PROTOCOL grpc (default) or http/protobuf, OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME (default
/// webhooks), OTEL_BSP_SCHEDULE_DELAY in ms. Without an endpoint the composition root does not register it at all:
/// no listener, so no activity is even created (the SDK would still create unsampled ones for context propagation).
/// Outbound deliveries' spans carry the subscriber's host only, never the URL's path (webhook URLs often hold secrets).
/// </summary>
public static class TracingServices
{
    /// <summary>Whether <paramref name="configuration"/> names an OTLP endpoint to export spans to.</summary>
    public static bool Configured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static IServiceCollection AddTracing(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddSource(WebhooksTracing.SourceName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                if (request.RequestUri is { } uri)
                {
                    activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}/…");
                }
            })
            .AddNpgsql());
        services.ConfigureOpenTelemetryTracerProvider((provider, tracing) =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            tracing.ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "webhooks"));
            if (Exporter(configuration) is { } exporter)
            {
                var delay = int.TryParse(configuration["OTEL_BSP_SCHEDULE_DELAY"], System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 5000;
                tracing.AddProcessor(new BatchActivityExportProcessor(exporter, scheduledDelayMilliseconds: delay));
            }
            else
            {
                tracing.SetSampler(new AlwaysOffSampler()); // registered, then the endpoint went: record nothing
            }
        });
        return services;
    }

    private static OtlpTraceExporter? Exporter(IConfiguration configuration)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        var http = string.Equals(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "http/protobuf", StringComparison.OrdinalIgnoreCase);
        var uri = new Uri(endpoint);
        if (http && !uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal))
        {
            uri = new Uri(uri, uri.AbsolutePath.TrimEnd('/') + "/v1/traces");
        }

        return new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = uri,
            Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
            Headers = configuration["OTEL_EXPORTER_OTLP_HEADERS"],
        });
    }
}
