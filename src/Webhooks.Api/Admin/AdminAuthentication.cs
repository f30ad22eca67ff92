using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Webhooks.Api.Admin;

/// <summary>
/// The admin credential: Authorization: Bearer {Webhooks:Admin:ApiKey}. With no key configured every admin request
/// is refused — the surface is closed, never open. Keys are compared in constant time.
/// </summary>
internal sealed class AdminKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration, LoginFailures failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";
    public const string Policy = "Admin";
    public const string KeySetting = "Webhooks:Admin:ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string presented;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicPassword(header["Basic ".Length..].Trim()) is { } password)
        {
            // The dashboard's login: HTTP Basic, user "admin", the admin key as the password.
            presented = password;
        }
        else
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.IsLockedOut(client))
        {
            return Task.FromResult(AuthenticateResult.Fail("Too many failed logins from this address; wait a minute."));
        }

        if (!Matches(configuration[KeySetting], presented))
        {
            failures.Record(client);
            return Task.FromResult(AuthenticateResult.Fail("The admin key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // Browsers on the dashboard get the Basic login prompt; API clients see that Bearer works too.
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal)
            ? "Basic realm=\"Webhooks admin\", charset=\"UTF-8\""
            : "Bearer realm=\"webhooks-admin\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin credentials required",
            detail: string.IsNullOrEmpty(configuration[KeySetting])
                ? "The admin surface is closed: no admin key is configured."
                : "Send Authorization: Bearer <admin key>.",
            type: "https://httpstatuses.io/401").ExecuteAsync(Context);
    }

    private static string? BasicPassword(string encoded)
    {
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(buffer, 0, written).Split(':', 2);
        return pair.Length == 2 && pair[0] == "admin" ? pair[1] : null;
    }

    /// <summary>Compares hashes so neither the length nor the content of the key leaks through timing.</summary>
    public static bool Matches(string? configured, string presented)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}

/// <summary>Failed admin logins per client address: after 10 in a minute the address is refused until the minute ends.</summary>
internal sealed class LoginFailures(TimeProvider clock)
{
    public const int Limit = 10;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset WindowStart, int Count)> byClient = new();

    public bool IsLockedOut(string client) =>
        byClient.TryGetValue(client, out var entry) && clock.GetUtcNow() - entry.WindowStart < TimeSpan.FromMinutes(1) && entry.Count >= Limit;

    public void Record(string client)
    {
        var now = clock.GetUtcNow();
        byClient.AddOrUpdate(client, (now, 1), (_, entry) => now - entry.WindowStart < TimeSpan.FromMinutes(1) ? (entry.WindowStart, entry.Count + 1) : (now, 1));
        if (byClient.Count > 10_000)
        {
            foreach (var stale in byClient.Where(e => now - e.Value.WindowStart > TimeSpan.FromMinutes(1)).Select(e => e.Key).ToList())
            {
                byClient.TryRemove(stale, out _);
            }
        }
    }
}
