using System.Diagnostics;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ that build/test.sh starts and describes through environment variables.
/// Without them these tests fail with an explanation rather than silently skipping.
/// </summary>
internal static class TestServices
{
    public static string PostgresAdmin => Require("WEBHOOKS_PG_ADMIN");

    public static string RabbitMq => Require("ConnectionStrings__RabbitMq");

    public static string Profile => Require("WEBHOOKS_SERVICES_PROFILE");

    /// <summary>A RabbitMQ node of its own whose max_message_size is 64 KiB (the setting is node-wide).</summary>
    public static string RabbitMqWithSmallMessages => Require("WEBHOOKS_RABBITMQ_SMALL_MESSAGES");

    /// <summary>The largest message that node takes.</summary>
    public const int SmallMessagesLimit = 65536;

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Could not find Webhooks.sln above the test binaries.");
        }
    }

    /// <summary>Stops or starts one of the test services through the project's own script (fault tests).</summary>
    public static async Task ControlAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["build/services.sh", Profile, command])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"build/services.sh {Profile} {command} failed: {await stderr}");
        }
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set. Run the integration tests through build/test.sh, which starts PostgreSQL and RabbitMQ and sets it.");
}
