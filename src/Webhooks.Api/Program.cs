using Serilog;
using Serilog.Formatting.Json;
using Webhooks.Api;
using Webhooks.Api.Admin;
using Webhooks.Api.Admin.Jobs;
using Webhooks.Api.Http;
using Webhooks.Api.OpenApi;
using Webhooks.Application;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Observability;
using Webhooks.Infrastructure.Persistence;

// The container's health check: one request to this machine's instance, before (and instead of) building a host.
if (args.Length > 0 && args[0] == HealthCheckCommand.Name)
{
    Environment.ExitCode = await HealthCheckCommand.RunAsync(args[1..]);
    return;
}

var migrateOnly = args.Length > 0 && args[0] == "migrate";
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
var legacy = LegacyVariables.Apply(builder.Configuration);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8012");
}

// Slow or oversized requests must not tie up the server: explicit limits on headers, request line and body rate.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestHeaderCount = 100;
    kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
    kestrel.Limits.MaxRequestLineSize = 8 * 1024;
    kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
    kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(1024, TimeSpan.FromSeconds(5));
    // What Kestrel buffers ahead of the application per connection: beyond it the socket (the kernel) holds the bytes,
    // so thousands of connections announcing large bodies cost little process memory (the default is 1 MiB each); see UnverifiedBodies.
    kestrel.Limits.MaxRequestBufferSize = 64 * 1024; // no less than MaxRequestHeadersTotalSize
});

// JSON lines on stdout through an asynchronous sink: request threads hand log events to a queue, never to the console.
builder.Services.AddSerilog(
    (services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .Enrich.FromLogContext()
        .WriteTo.Async(sink => sink.Console(new JsonFormatter(renderMessage: true))),
    preserveStaticLogger: true); // one logger per host: the tests run several in one process

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi();
if (Webhooks.Infrastructure.Observability.TracingServices.Configured(builder.Configuration))
{
    builder.Services.AddTracing();
}

var app = builder.Build();

if (migrateOnly)
{
    var applied = await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    Console.WriteLine($"Database is up to date ({applied} migrations applied).");
    return;
}

foreach (var mapping in legacy)
{
    app.Logger.LogInformation("Seed variable accepted: {Mapping}", mapping);
}

// Listening from the first instrument on, not from the first scrape.
app.Services.GetRequiredService<PrometheusExporter>();

app.UseKnownProxies();
app.UseMiddleware<CorrelationIdMiddleware>();
app.UseRequestLogging();
app.UseWhen(
    context => context.Request.Path.StartsWithSegments("/api/v1/webhooks", StringComparison.OrdinalIgnoreCase),
    webhooks => webhooks.UseMiddleware<IngestMetricsMiddleware>());
app.UseMiddleware<Webhooks.Api.Admin.AuditTrailMiddleware>();
app.UseExceptionHandler();
app.UseDashboardAssets();
app.UseRateLimiter();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapJobsDashboard();
app.MapControllers();
app.MapApiReference();

await app.RunAsync();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
