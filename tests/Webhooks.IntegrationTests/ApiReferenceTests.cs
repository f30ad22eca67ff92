using System.Net;
using System.Text.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

public sealed class ApiReferenceTests(WebhooksApp app) : IClassFixture<WebhooksApp>
{
    [Fact]
    public async Task OpenApiDocument_ListsEveryApiControllerRouteAndMethod()
    {
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var actions = app.Services.GetRequiredService<IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<ControllerActionDescriptor>()
            .Where(a => !a.EndpointMetadata.OfType<ApiExplorerSettingsAttribute>().Any(s => s.IgnoreApi))
            .ToList();
        actions.Should().HaveCountGreaterThan(30, "the admin, subscription, ingestion and health APIs are all controllers");

        var missing = new List<string>();
        foreach (var action in actions)
        {
            var template = "/" + action.AttributeRouteInfo!.Template!;
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{\**([a-zA-Z]+)(:[^}]*)?\}", "{$1}");
            foreach (var method in action.ActionConstraints!.OfType<Microsoft.AspNetCore.Mvc.ActionConstraints.HttpMethodActionConstraint>().SelectMany(c => c.HttpMethods))
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        missing.Should().BeEmpty("every API route is described in /openapi/v1.json");
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresTheKeysAndTheProblemAnswers()
    {
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        schemes.GetProperty("admin").GetProperty("scheme").GetString().Should().Be("bearer");
        schemes.GetProperty("publisher").GetProperty("scheme").GetString().Should().Be("bearer");

        var inbox = root.GetProperty("paths").GetProperty("/api/v1/admin/inbox").GetProperty("get");
        inbox.GetProperty("security")[0].TryGetProperty("admin", out _).Should().BeTrue();
        inbox.GetProperty("responses").GetProperty("401").GetProperty("content").TryGetProperty("application/problem+json", out _).Should().BeTrue();

        var ingest = root.GetProperty("paths").GetProperty("/api/v1/webhooks/{source}").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "200", "400", "401", "404", "413", "429", "503" })
        {
            ingest.TryGetProperty(status, out _).Should().BeTrue($"ingestion answers {status}");
        }

        var events = root.GetProperty("paths").GetProperty("/api/v1/events").GetProperty("post");
        events.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))
            .Should().Contain(["publisher", "admin"]);
    }

    [Fact]
    public async Task Docs_ServeTheBrowsableReference()
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/docs/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await response.Content.ReadAsStringAsync()).Should().Contain("openapi/v1.json");
        using var script = await client.GetAsync("/docs/scalar.js");
        script.StatusCode.Should().Be(HttpStatusCode.OK, "the reference's script is served by the gateway itself, not a CDN");
    }

    [Fact]
    public async Task Root_PointsAtDocsAdminAndHealth()
    {
        using var client = app.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/"));

        document.RootElement.GetProperty("docs").GetString().Should().Be("/docs");
        document.RootElement.GetProperty("admin").GetString().Should().Be("/admin");
        document.RootElement.GetProperty("health").GetString().Should().Be("/api/v1/health");
    }
}
