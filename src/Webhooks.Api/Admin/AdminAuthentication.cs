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
internal sealed class AdminKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";
    public const string Policy = "Admin";
    public const string KeySetting = "Webhooks:Admin:ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Matches(configuration[KeySetting], header["Bearer ".Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("The admin key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"webhooks-admin\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin credentials required",
            detail: string.IsNullOrEmpty(configuration[KeySetting])
                ? "The admin surface is closed: no admin key is configured."
                : "Send Authorization: Bearer <admin key>.",
            type: "https://httpstatuses.io/401").ExecuteAsync(Context);
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
