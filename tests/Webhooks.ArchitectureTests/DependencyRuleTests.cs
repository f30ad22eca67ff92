using System.Reflection;
using FluentAssertions;
using Microsoft.AspNetCore.Mvc;
using NetArchTest.Rules;

namespace Webhooks.ArchitectureTests;

/// <summary>The dependency rule on types, not only assembly references (NetArchTest reads the compiled IL).</summary>
public sealed class DependencyRuleTests
{
    private static readonly Assembly Domain = typeof(Webhooks.Domain.Inbox.InboxMessage).Assembly;
    private static readonly Assembly Application = typeof(Webhooks.Application.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;

    [Fact]
    public void Domain_TypesDependOnNoOtherLayerOrFramework() =>
        Failing(Types.InAssembly(Domain).ShouldNot().HaveDependencyOnAny(
            "Webhooks.Application", "Webhooks.Infrastructure", "Webhooks.Api", "MediatR", "Microsoft.EntityFrameworkCore",
            "MassTransit", "Npgsql", "Hangfire", "FluentValidation", "Microsoft.AspNetCore").GetResult()).Should().BeEmpty();

    [Fact]
    public void Application_TypesDependOnNeitherInfrastructureNorItsTechnologies() =>
        Failing(Types.InAssembly(Application).ShouldNot().HaveDependencyOnAny(
            "Webhooks.Infrastructure", "Webhooks.Api", "Npgsql", "MassTransit", "RabbitMQ.Client", "Hangfire",
            "Microsoft.EntityFrameworkCore.Relational").GetResult()).Should().BeEmpty();

    /// <summary>Only the composition root (Program, DependencyInjection) may name Infrastructure; the rest goes through Application.</summary>
    [Fact]
    public void Api_OutsideTheCompositionRoot_NeverNamesInfrastructure() =>
        Failing(Types.InAssembly(Api)
            .That().DoNotHaveNameStartingWith("Program").And().DoNotHaveNameStartingWith("<")
            .ShouldNot().HaveDependencyOn("Webhooks.Infrastructure").GetResult()).Should().BeEmpty();

    /// <summary>
    /// Controllers take MediatR or Application ports, ASP.NET Core's own services and the Api's HTTP plumbing
    /// (Webhooks.Api.Http: body reading, throttles) — never an Infrastructure implementation.
    /// </summary>
    [Fact]
    public void Controllers_TakeOnlyMediatorApplicationPortsOrFrameworkServices()
    {
        var wrong = Api.GetTypes()
            .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Controller: t.Name, p.ParameterType)))
            .Where(p => p.ParameterType.Namespace is not { } ns
                || !(ns.StartsWith("Webhooks.Application", StringComparison.Ordinal) || ns == "MediatR" || ns == "Webhooks.Api.Http"
                     || ns.StartsWith("Microsoft.", StringComparison.Ordinal) || ns.StartsWith("System", StringComparison.Ordinal)))
            .Select(p => $"{p.Controller} takes {p.ParameterType.FullName}")
            .ToList();

        wrong.Should().BeEmpty();
    }

    private static IEnumerable<string> Failing(TestResult result) => result.FailingTypeNames ?? [];
}
