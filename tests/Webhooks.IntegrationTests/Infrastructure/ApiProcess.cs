using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// The built API (Webhooks.Api.dll, copied next to the tests) as its own operating-system process on a loopback
/// port, so a test can kill it with SIGKILL and start it again on the same database.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process process;

    private ApiProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => process.Id;

    public static async Task<ApiProcess> StartAsync(TestDatabase database, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Webhooks.Api.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Webhooks"] = database.ConnectionString;
        start.Environment["ConnectionStrings__RabbitMq"] = TestServices.RabbitMq;
        start.Environment["Webhooks__Sources__shopify__Provider"] = "shopify";
        start.Environment["Webhooks__Sources__shopify__Secrets__0"] = WebhooksApp.ShopifySecret;
        start.Environment["Webhooks__RateLimits__Enabled"] = "false";
        start.Environment["Webhooks__Relay__InitialDelay"] = "00:00:00.050";
        start.Environment["Webhooks__Relay__MaxDelay"] = "00:00:00.500";
        start.Environment["Webhooks__Relay__ClaimLease"] = "00:00:05"; // a killed relay's claims lapse quickly
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API exited at start-up with code {process.ExitCode}.");
            }

            try
            {
                if ((await client.GetAsync("/api/v1/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await api.DisposeAsync();
        throw new TimeoutException("The API did not become ready within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, exactly as a crash or an OOM kill.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false); // SIGKILL on Linux
            process.WaitForExit();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
