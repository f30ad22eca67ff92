using System.Reflection;
using FluentAssertions;
using NetArchTest.Rules;

namespace Webhooks.ArchitectureTests;

/// <summary>
/// Infrastructure's folders (Delivery, Relay, Sources, …) depend on each other in one direction only: a folder that
/// uses another is not used by it, so each can be understood, changed and registered after the ones it builds on.
/// </summary>
public sealed class InfrastructureFolderTests
{
    private const string Root = "Webhooks.Infrastructure";
    private static readonly Assembly Infrastructure = typeof(Webhooks.Infrastructure.DependencyInjection).Assembly;

    /// <summary>The folders: the namespaces one level below the root (a sub-namespace belongs to its folder).</summary>
    private static readonly string[] Folders = Infrastructure.GetTypes()
        .Select(t => t.Namespace)
        .OfType<string>()
        .Where(ns => ns.StartsWith(Root + ".", StringComparison.Ordinal))
        .Select(ns => ns[(Root.Length + 1)..].Split('.')[0])
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void TheFoldersAreFound() => Folders.Should().Contain(["Alerts", "Delivery", "Ingestion", "Persistence", "Relay", "Sources", "Messaging"]);

    [Fact]
    public void NoTwoFolders_DependOnEachOther()
    {
        var uses = Folders.ToDictionary(folder => folder, folder => Folders.Where(other => other != folder && DependsOn(folder, other)).ToHashSet());

        var cycles = Folders
            .SelectMany(a => uses[a].Where(b => string.CompareOrdinal(a, b) < 0 && uses[b].Contains(a)).Select(b => $"{a} <-> {b}"))
            .ToList();

        cycles.Should().BeEmpty();
    }

    private static bool DependsOn(string folder, string other) =>
        !Types.InAssembly(Infrastructure)
            // The folder's namespace or one below it: a type only named alike (Relay, RelayObservation) is not in it.
            .That().ResideInNamespaceMatching($@"^{Root}\.{folder}(\..+)?$")
            .ShouldNot().HaveDependencyOn($"{Root}.{other}")
            .GetResult().IsSuccessful;
}
