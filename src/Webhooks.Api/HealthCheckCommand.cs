using System.Net;

namespace Webhooks.Api;

/// <summary>
/// <c>dotnet Webhooks.Api.dll healthcheck [url]</c>: the container image's health check, for images without curl. One
/// GET of the liveness endpoint of the instance on this machine — <c>http://127.0.0.1:{port}/api/v1/health/live</c>,
/// the port taken from the first http address in ASPNETCORE_URLS, else 8012 — or of the given URL. Exit status 0 on
/// 200, 1 otherwise. It runs before any host is built: a process start and one request, nothing more.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    private const int DefaultPort = 8012;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 0
            ? args[0]
            : $"http://127.0.0.1:{PortOf(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"))}/api/v1/health/live";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await client.GetAsync(new Uri(url));
            Console.WriteLine($"healthcheck: {url} answered {(int)response.StatusCode}");
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.WriteLine($"healthcheck: {url} failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The port of the first http address in an ASPNETCORE_URLS value (<c>http://+:8012;https://…</c>).</summary>
    internal static int PortOf(string? urls)
    {
        foreach (var address in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The host may be a wildcard (+, *) that Uri does not parse: the port is what follows the last colon.
            var hostAndPort = address["http://".Length..].TrimEnd('/');
            var slash = hostAndPort.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                hostAndPort = hostAndPort[..slash];
            }

            var colon = hostAndPort.LastIndexOf(':');
            return colon >= 0 && !hostAndPort.EndsWith(']') && int.TryParse(hostAndPort[(colon + 1)..], out var port) ? port : 80;
        }

        return DefaultPort;
    }
}
