using System.Reflection;
using FluentAssertions;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Webhooks.ArchitectureTests;

/// <summary>The dependency rule of docs/architecture.md, checked on the compiled assemblies.</summary>
public sealed class LayerTests
{
    private static readonly Assembly Domain = typeof(Webhooks.Domain.Inbox.InboxMessage).Assembly;
    private static readonly Assembly Application = typeof(Webhooks.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Webhooks.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;
    private static readonly Assembly Contracts = typeof(Webhooks.Contracts.EventCatalog).Assembly;

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!);

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("MediatR")]
    [InlineData("MassTransit")]
    [InlineData("Npgsql")]
    [InlineData("Hangfire")]
    [InlineData("FluentValidation")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Webhooks.Application")]
    [InlineData("Webhooks.Infrastructure")]
    public void Domain_DependsOnNoFrameworkOrOuterLayer(string forbidden) =>
        References(Domain).Should().NotContain(r => r == forbidden || r.StartsWith(forbidden + ".", StringComparison.Ordinal));

    [Theory]
    [InlineData("Webhooks.Infrastructure")]
    [InlineData("Webhooks.Api")]
    [InlineData("Microsoft.EntityFrameworkCore.Relational")]
    [InlineData("Npgsql.EntityFrameworkCore.PostgreSQL")]
    [InlineData("MassTransit")]
    [InlineData("Npgsql")]
    [InlineData("Hangfire")]
    [InlineData("RabbitMQ.Client")]
    public void Application_DoesNotDependOnInfrastructureOrItsTechnologies(string forbidden) =>
        References(Application).Should().NotContain(r => r == forbidden || r.StartsWith(forbidden + ".", StringComparison.Ordinal));

    /// <summary>Handlers use IWebhooksDbContext (docs/architecture.md): EF Core's provider-agnostic API, never the relational layer or a provider.</summary>
    [Fact]
    public void Application_UsesOnlyProviderAgnosticEfCore() =>
        References(Application).Where(r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
            .Should().OnlyContain(r => r == "Microsoft.EntityFrameworkCore");

    /// <summary>Consumers reference the contracts: they must bring nothing but the BCL with them.</summary>
    [Fact]
    public void Contracts_DependOnTheBclOnly() =>
        References(Contracts).Should().OnlyContain(r => r == "System" || r.StartsWith("System.", StringComparison.Ordinal) || r == "netstandard" || r == "mscorlib");

    [Fact]
    public void Contracts_ArePublicRecordsWithSnakeCaseNames() =>
        Contracts.GetTypes().Where(t => t.IsSubclassOf(typeof(Webhooks.Contracts.EventData)))
            .SelectMany(t => t.GetProperties())
            .Where(p => p.DeclaringType != typeof(Webhooks.Contracts.EventData) && p.Name != "EqualityContract")
            .Should().OnlyContain(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false).Length == 1
                || p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonExtensionDataAttribute), false).Length == 1);

    [Fact]
    public void Infrastructure_DoesNotDependOnApi() => References(Infrastructure).Should().NotContain("Webhooks.Api");

    [Fact]
    public void RequestHandlers_AreNotPublic()
    {
        var handlers = Application.GetTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)))
            .ToList();

        handlers.Should().NotBeEmpty();
        handlers.Should().OnlyContain(t => !t.IsPublic && t.IsSealed, "handlers are internal sealed: callers go through IMediator");
    }

    [Fact]
    public void Validators_AreNotPublic()
    {
        var validators = Application.GetTypes()
            .Where(t => t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(FluentValidation.AbstractValidator<>))
            .ToList();

        validators.Should().NotBeEmpty();
        validators.Should().OnlyContain(t => !t.IsPublic);
    }

    [Fact]
    public void Controllers_LiveOnlyInTheApi_AndDispatchThroughMediatorOrReadOnlyServices()
    {
        foreach (var assembly in new[] { Domain, Application, Infrastructure })
        {
            assembly.GetTypes().Should().NotContain(t => typeof(ControllerBase).IsAssignableFrom(t));
        }

        var controllers = Api.GetTypes().Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        controllers.Should().NotBeEmpty();
        controllers.Should().OnlyContain(t => t.IsSealed);
    }

    [Fact]
    public void NoTypeIsNamedManagerHelperOrUtils() =>
        new[] { Domain, Application, Infrastructure, Api }.SelectMany(a => a.GetTypes())
            .Where(t => !t.Name.Contains('<', StringComparison.Ordinal))
            .Should().NotContain(t => t.Name.EndsWith("Manager", StringComparison.Ordinal) || t.Name.EndsWith("Helper", StringComparison.Ordinal) || t.Name.EndsWith("Utils", StringComparison.Ordinal));
}
