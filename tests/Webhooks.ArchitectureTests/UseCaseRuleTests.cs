using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using FluentAssertions;
using NetArchTest.Rules;

namespace Webhooks.ArchitectureTests;

/// <summary>
/// What happens lives in Application and Domain: Infrastructure stores and sends, it does not decide; the Application
/// hides nothing that other assemblies would need to reach into; and events enter the outbox through one writer.
/// </summary>
public sealed partial class UseCaseRuleTests
{
    private static readonly Assembly Application = typeof(Webhooks.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Webhooks.Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;

    /// <summary>The counters, the automatic disabling and the alert thresholds are decided by these Domain rules only, called from Application.</summary>
    [Theory]
    [InlineData("Webhooks.Domain.Delivery.AttemptTally")]
    [InlineData("Webhooks.Domain.Delivery.AutoDisableRule")]
    [InlineData("Webhooks.Domain.Alerts.AlertRules")]
    public void InfrastructureAndApi_NeverApplyTheDomainRules(string rule)
    {
        Failing(Types.InAssembly(Infrastructure).ShouldNot().HaveDependencyOn(rule).GetResult()).Should().BeEmpty();
        Failing(Types.InAssembly(Api).ShouldNot().HaveDependencyOn(rule).GetResult()).Should().BeEmpty();
    }

    [Fact]
    public void Application_GrantsItsInternalsToNoOtherAssembly() =>
        Application.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Should().BeEmpty();

    /// <summary>New outbox rows are written by one file (its SQL is composed into the ingest statement, too); nothing adds them through EF.</summary>
    [Fact]
    public void OneSourceFile_WritesOutboxRows()
    {
        var sources = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var inserting = sources.Where(f => InsertIntoOutbox().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToList();
        var addingThroughEf = sources.Where(f => AddThroughEf().IsMatch(File.ReadAllText(f))).Select(Path.GetFileName).ToList();

        sources.Should().HaveCountGreaterThan(100, "the sources were found");
        inserting.Should().Equal("OutboxWriter.cs");
        addingThroughEf.Should().BeEmpty();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Webhooks.sln was not found above the test assembly.");
    }

    private static IEnumerable<string> Failing(TestResult result) => result.FailingTypeNames ?? [];

    [GeneratedRegex(@"INSERT\s+INTO\s+outbox_messages", RegexOptions.IgnoreCase)]
    private static partial Regex InsertIntoOutbox();

    [GeneratedRegex(@"((?<!I)Outbox|Set<OutboxMessage>\(\))\s*\.\s*(Add|AddRange|Attach)\s*\(")]
    private static partial Regex AddThroughEf();
}
