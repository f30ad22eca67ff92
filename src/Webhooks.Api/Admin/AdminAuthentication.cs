using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Webhooks.Api.Http;

namespace Webhooks.Api.Admin;

/// <summary>
/// Webhooks:Admin — the single admin key (<c>ApiKey</c>) and named keys with a role
/// (<c>Keys:{name}:Key</c>, <c>Keys:{name}:Role</c> = admin | read-only). Publisher keys
/// (Webhooks:Delivery:PublisherKeys) may only publish events. Every key is at least 32 characters.
/// </summary>
public sealed class AdminOptions
{
    public const int MinimumKeyLength = 32;

    public string? ApiKey { get; set; }

    public Dictionary<string, NamedKey> Keys { get; set; } = new(StringComparer.Ordinal);

    public sealed class NamedKey
    {
        public string? Key { get; set; }

        public string Role { get; set; } = AdminRoles.Admin;
    }
}

public static class AdminRoles
{
    public const string Admin = "admin";
    public const string ReadOnly = "read-only";
    public const string Publisher = "publisher";

    /// <summary>An application's key: it acts for that application only (<see cref="Http.HttpCaller"/>).</summary>
    public const string Application = "application";

    /// <summary>A partner's portal session (its own cookie scheme, under /portal only).</summary>
    public const string Portal = "portal";
}

/// <summary>
/// The admin credential. <c>Authorization: Bearer</c> on <c>/api/v1/admin/*</c> and <c>/api/v1/events</c>; HTTP Basic
/// (user <c>admin</c>, a key as the password) only under <c>/admin</c> and <c>/hangfire</c>, where a browser logs in:
/// a browser resends cached Basic credentials on cross-site requests, so the JSON API never accepts them. With no key
/// configured every request is refused. Keys are compared in constant time; after 10 failures a minute a client's
/// further failures are answered 429, while the right key keeps working.
/// </summary>
internal sealed class AdminKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminKeyring keyring, LoginFailures failures,
    Webhooks.Application.Tenants.ITenantDirectory tenants)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";
    public const string Policy = "Admin";
    public const string PublishPolicy = "Publish";
    public const string MetricsPolicy = "Metrics";

    /// <summary>The routes under /api/v1/applications/{app}/…: an operator's key, or that application's own key.</summary>
    public const string ApplicationPolicy = "Application";

    /// <summary>Publishing to one application: an admin or publisher key, or the application's own key.</summary>
    public const string ApplicationPublishPolicy = "ApplicationPublish";
    private const string ThrottledItem = "webhooks.admin.throttled";

    /// <summary>Paths where a browser logs in with HTTP Basic.</summary>
    public static bool IsBrowserSurface(PathString path) =>
        path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string presented;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && IsBrowserSurface(Request.Path))
        {
            presented = BasicPassword(header["Basic ".Length..].Trim()) ?? "";
        }
        else
        {
            return AuthenticateResult.NoResult();
        }

        if (keyring.Find(presented) is { } key)
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }

        // An application's key: looked up by its hash, and only when it has the shape of one (garbage costs no query).
        if (presented.Length == Webhooks.Domain.Tenants.TenantKey.Length && presented.StartsWith(Webhooks.Domain.Tenants.TenantKey.Prefix, StringComparison.Ordinal)
            && await tenants.FindByKeyAsync(Webhooks.Domain.Tenants.Tenant.Hash(presented), Context.RequestAborted) is { } application)
        {
            var identity = new ClaimsIdentity(Http.HttpCaller.ForApplication("application-key", AdminRoles.Application, application), SchemeName);
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }

        if (failures.Record(Context) is { } wait)
        {
            Context.Items[ThrottledItem] = wait;
        }

        return AuthenticateResult.Fail("The key is not valid.");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledItem] is TimeSpan wait)
        {
            await RateLimits.TooMany(Context, wait, "Too many failed logins",
                "Too many failed admin logins from this address; the right key still works.");
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // Browsers on the dashboard get the Basic login prompt; API clients are told to send Bearer.
        Response.Headers.WWWAuthenticate = IsBrowserSurface(Request.Path)
            ? "Basic realm=\"Webhooks admin\", charset=\"UTF-8\""
            : "Bearer realm=\"webhooks-admin\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin credentials required",
            detail: !keyring.AnyAdminKey
                ? "The admin surface is closed: no admin key is configured."
                : IsBrowserSurface(Request.Path)
                    ? "Log in as user admin with an admin key as the password."
                    : "Send Authorization: Bearer <key>.",
            type: "https://httpstatuses.io/401").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not allowed for this key",
            detail: "This key's role may not do this (read-only keys may only read; publisher keys may only publish events).",
            type: "https://httpstatuses.io/403").ExecuteAsync(Context);

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
}

/// <summary>Every key the gateway accepts, with its name and role.</summary>
internal sealed class AdminKeyring
{
    private readonly (string Name, string Role, byte[] Hash)[] keys;

    public AdminKeyring(IOptions<AdminOptions> admin, IConfiguration configuration)
    {
        var all = new List<(string, string, byte[])>();
        if (!string.IsNullOrEmpty(admin.Value.ApiKey))
        {
            all.Add(("admin", AdminRoles.Admin, Hash(admin.Value.ApiKey)));
        }

        foreach (var (name, key) in admin.Value.Keys)
        {
            if (!string.IsNullOrEmpty(key.Key))
            {
                all.Add((name, key.Role, Hash(key.Key)));
            }
        }

        AnyAdminKey = all.Count > 0;
        var index = 0;
        foreach (var key in (configuration.GetSection("Webhooks:Delivery:PublisherKeys").Get<string[]>() ?? []).Where(k => !string.IsNullOrEmpty(k)))
        {
            all.Add(($"publisher-{++index}", AdminRoles.Publisher, Hash(key)));
        }

        keys = [.. all];
    }

    public bool AnyAdminKey { get; }

    /// <summary>The key presented, compared with every configured key in constant time (no early exit).</summary>
    public (string Name, string Role)? Find(string presented)
    {
        var hash = Hash(presented);
        (string, string)? found = null;
        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = (key.Name, key.Role);
            }
        }

        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>Failed logins per client address (IPv6 by /64): 10 a minute, then 429 for further failures.</summary>
internal sealed class LoginFailures(TimeProvider clock)
{
    public const int Limit = 10;
    private readonly FailureThrottle throttle = new(clock, Limit, Limit / 60.0, maxKeys: 100_000);

    public TimeSpan? Record(HttpContext context) => throttle.RecordFailure(FailureThrottle.ClientKey(context.Connection.RemoteIpAddress));
}

internal static class AdminAuthentication
{
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration("Webhooks:Admin")
            .Validate(o => o.ApiKey is not { Length: > 0 and < AdminOptions.MinimumKeyLength },
                $"Webhooks:Admin:ApiKey must be at least {AdminOptions.MinimumKeyLength} characters.")
            .Validate(o => o.Keys.All(k => k.Value.Key is { Length: >= AdminOptions.MinimumKeyLength }),
                $"Every Webhooks:Admin:Keys:{{name}}:Key must be set and at least {AdminOptions.MinimumKeyLength} characters.")
            .Validate(o => o.Keys.All(k => k.Value.Role is AdminRoles.Admin or AdminRoles.ReadOnly),
                "Webhooks:Admin:Keys:{name}:Role must be 'admin' or 'read-only'.")
            .ValidateOnStart();

        // No default scheme (not even the one ASP.NET Core infers from a single scheme): only admin endpoints, whose
        // policy names the scheme, look at Authorization, so a provider's credentials never count as failed logins.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(AdminKeyHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminKeyHandler.Policy, policy => policy
                .AddAuthenticationSchemes(AdminKeyHandler.SchemeName)
                .RequireAuthenticatedUser()
                // Read-only keys read; changing anything takes an admin key.
                .RequireAssertion(context => context.User.IsInRole(AdminRoles.Admin)
                    || (context.User.IsInRole(AdminRoles.ReadOnly) && context.Resource is HttpContext http
                        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))))
            .AddPolicy(AdminKeyHandler.PublishPolicy, policy => policy
                .AddAuthenticationSchemes(AdminKeyHandler.SchemeName)
                .RequireRole(AdminRoles.Admin, AdminRoles.Publisher))
            .AddPolicy(AdminKeyHandler.ApplicationPublishPolicy, policy => policy
                .AddAuthenticationSchemes(AdminKeyHandler.SchemeName)
                .RequireRole(AdminRoles.Admin, AdminRoles.Publisher, AdminRoles.Application))
            // Whether an application key may act here is the Application's decision (its scope behaviour): it names the
            // application, and a key of another application is refused there with 403.
            .AddPolicy(AdminKeyHandler.ApplicationPolicy, policy => policy
                .AddAuthenticationSchemes(AdminKeyHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.IsInRole(AdminRoles.Admin) || context.User.IsInRole(AdminRoles.Application)
                    || (context.User.IsInRole(AdminRoles.ReadOnly) && context.Resource is HttpContext http
                        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))))
            .AddPolicy(AdminKeyHandler.MetricsPolicy, policy => policy
                .AddAuthenticationSchemes(AdminKeyHandler.SchemeName)
                .AddRequirements(new MetricsAccess()));
        services.AddOptions<MetricsOptions>().BindConfiguration("Webhooks:Metrics");
        services.AddSingleton<IAuthorizationHandler, MetricsAccessHandler>();
        services.AddSingleton<AdminKeyring>();
        services.AddHttpContextAccessor();
        services.AddScoped<Webhooks.Application.Common.Abstractions.ICaller, Http.HttpCaller>();
        services.AddSingleton<LoginFailures>();
        return services;
    }
}

/// <summary>Webhooks:Metrics — who may scrape /metrics.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Let anyone scrape /metrics (source names and traffic figures) without a key: only where nothing but the scraper
    /// can reach the port. Off by default: Prometheus sends a read-only key as a bearer token.
    /// </summary>
    public bool Anonymous { get; set; }
}

/// <summary>/metrics: an admin or read-only key, unless Webhooks:Metrics:Anonymous.</summary>
public sealed class MetricsAccess : IAuthorizationRequirement;

internal sealed class MetricsAccessHandler(IOptions<MetricsOptions> options) : AuthorizationHandler<MetricsAccess>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsAccess requirement)
    {
        if (options.Value.Anonymous || context.User.IsInRole(AdminRoles.Admin) || context.User.IsInRole(AdminRoles.ReadOnly))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
