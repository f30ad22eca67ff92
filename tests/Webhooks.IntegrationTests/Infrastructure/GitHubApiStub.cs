using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>One request the stub's API received: method, path and query, and the headers a client must send.</summary>
internal sealed record ApiRequest(string Method, string Path, string Query, string? Authorization, string? UserAgent, string? Accept, string? ApiVersion);

/// <summary>
/// GitHub on loopback, both sides of a webhook: it posts deliveries to the gateway, signed as GitHub signs them, and
/// records each like GitHub's "Recent deliveries" (status "OK" and the status code, or why it failed); and it serves the
/// REST API a backfill uses, in the documented shapes (the JSON is written here, not copied):
/// <list type="bullet">
/// <item>List deliveries for a repository webhook — <c>GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries</c> —
/// https://docs.github.com/en/rest/repos/webhooks#list-deliveries-for-a-repository-webhook; for an organisation's hook
/// <c>GET /orgs/{org}/hooks/{hook_id}/deliveries</c>, https://docs.github.com/en/rest/orgs/webhooks#list-deliveries-for-an-organization-webhook;
/// for an app's own hook <c>GET /app/hook/deliveries</c> with a JWT, https://docs.github.com/en/rest/apps/webhooks#list-deliveries-for-an-app-webhook.
/// Items: <c>id</c>, <c>guid</c>, <c>delivered_at</c>, <c>redelivery</c>, <c>duration</c>, <c>status</c>,
/// <c>status_code</c>, <c>event</c>, <c>action</c>, <c>installation_id</c>, <c>repository_id</c>, <c>throttled_at</c>;
/// newest first.</item>
/// <item>Redeliver a delivery — <c>POST …/deliveries/{delivery_id}/attempts</c> → 202 <c>{}</c>; GitHub then delivers it
/// again as a new delivery with the same guid and <c>redelivery: true</c> —
/// https://docs.github.com/en/rest/repos/webhooks#redeliver-a-delivery-for-a-repository-webhook.</item>
/// <item>Pagination: <c>per_page</c> (at most 100; this stub can be told to give fewer) and <c>cursor</c>, the next page
/// named in the <c>Link</c> header with rel="next" —
/// https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api.</item>
/// <item>A request without a User-Agent is refused with 403 —
/// https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent; a wrong token 401
/// <c>{"message": "Bad credentials", …}</c>.</item>
/// <item>Rate limit headers <c>X-RateLimit-Limit/-Remaining/-Used/-Reset/-Resource</c> on every answer, 403 once the
/// limit is used up — https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api.</item>
/// <item>A secondary rate limit: 403 with a <c>retry-after</c> header (seconds) and "You have exceeded a secondary rate
/// limit", before which a client must not retry — https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
/// and https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately.</item>
/// <item>The app JWT (RS256; iat, exp at most 10 minutes ahead, iss the app id) is verified with the app's public key —
/// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app.</item>
/// </list>
/// GitHub never redelivers by itself — https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries.
/// </summary>
internal sealed class GitHubApiStub : IAsyncDisposable
{
    private const string Owner = "octo-org";
    private const string Repo = "octo-repo";
    private readonly ConcurrentQueue<Delivery> deliveries = new();
    private readonly string gatewayPath;
    private readonly string secret;
    private long nextId = 7_000_000_000;
    private WebApplication? app;

    private GitHubApiStub(string source, string secret, long hookId)
    {
        gatewayPath = $"/api/v1/webhooks/{source}";
        this.secret = secret;
        HookId = hookId;
    }

    public long HookId { get; }

    /// <summary>The gateway GitHub delivers to (set once the gateway runs).</summary>
    public HttpClient? Gateway { get; set; }

    /// <summary>Redeliveries fail too (the receiver still unreachable), as GitHub would record them.</summary>
    public bool RedeliveriesFail { get; set; }

    /// <summary>The token the repository and organisation endpoints accept.</summary>
    public string Token { get; } = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));

    /// <summary>The app whose hook /app/hook serves, and its key pair (the private half goes to the gateway).</summary>
    public string AppId { get; } = "123456";

    public RSA AppKey { get; } = RSA.Create(2048);

    public string AppPrivateKeyPem => AppKey.ExportRSAPrivateKeyPem();

    public string BaseUrl => app!.Address();

    public string RepoHookPath => $"/repos/{Owner}/{Repo}/hooks/{HookId}";

    public string OrgHookPath => $"/orgs/{Owner}/hooks/{HookId}";

    public static (string Owner, string Repo, string Org) Names => (Owner, Repo, Owner);

    /// <summary>Every API request, in order.</summary>
    public ConcurrentQueue<ApiRequest> Requests { get; } = new();

    /// <summary>The delivery ids a client asked to redeliver.</summary>
    public ConcurrentQueue<long> RedeliveryRequests { get; } = new();

    /// <summary>At most this many deliveries a page, whatever per_page asks (GitHub's own cap is 100).</summary>
    public int PageLimit { get; set; } = 100;

    /// <summary>Requests left in the rate-limit window; at 0 requests are refused with 403 until <see cref="RateLimitReset"/>.</summary>
    public int RateLimitRemaining { get; set; } = 5000;

    public DateTimeOffset RateLimitReset { get; set; } = DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>While set, every request meets a secondary rate limit: 403 with Retry-After of this many seconds.</summary>
    public int? SecondaryLimitRetryAfter { get; set; }

    public IReadOnlyList<Delivery> Deliveries => deliveries.ToList();

    public static async Task<GitHubApiStub> StartAsync(string source, string secret, long hookId = 424242)
    {
        var stub = new GitHubApiStub(source, secret, hookId);
        stub.app = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/repos/{owner}/{repo}/hooks/{hook:long}/deliveries", (string owner, string repo, long hook, HttpContext context) =>
                stub.List(context, owner == Owner && repo == Repo && hook == stub.HookId, app: false));
            app.MapGet("/orgs/{org}/hooks/{hook:long}/deliveries", (string org, long hook, HttpContext context) =>
                stub.List(context, org == Owner && hook == stub.HookId, app: false));
            app.MapGet("/app/hook/deliveries", (HttpContext context) => stub.List(context, true, app: true));
            app.MapPost("/repos/{owner}/{repo}/hooks/{hook:long}/deliveries/{id:long}/attempts", (string owner, string repo, long hook, long id, HttpContext context) =>
                stub.Redeliver(context, owner == Owner && repo == Repo && hook == stub.HookId, id, app: false));
            app.MapPost("/orgs/{org}/hooks/{hook:long}/deliveries/{id:long}/attempts", (string org, long hook, long id, HttpContext context) =>
                stub.Redeliver(context, org == Owner && hook == stub.HookId, id, app: false));
            app.MapPost("/app/hook/deliveries/{id:long}/attempts", (long id, HttpContext context) => stub.Redeliver(context, true, id, app: true));
        });
        return stub;
    }

    /// <summary>A push to the default branch, as GitHub's push event carries it (only the fields the gateway maps and a few more).</summary>
    public static string PushBody(int n) => new JsonObject
    {
        ["ref"] = "refs/heads/main",
        ["before"] = "0000000000000000000000000000000000000000",
        ["after"] = $"{n:x40}",
        ["repository"] = new JsonObject { ["id"] = 1296269, ["full_name"] = $"{Owner}/{Repo}", ["name"] = Repo },
        ["pusher"] = new JsonObject { ["name"] = "octocat", ["email"] = "octocat@github.com" },
        ["sender"] = new JsonObject { ["login"] = "octocat", ["id"] = 1 },
        ["commits"] = new JsonArray(new JsonObject { ["id"] = $"{n:x40}", ["message"] = $"change {n}", ["url"] = $"https://github.com/{Owner}/{Repo}/commit/{n:x40}" }),
        ["head_commit"] = new JsonObject { ["id"] = $"{n:x40}", ["message"] = $"change {n}" },
    }.ToJsonString();

    /// <summary>
    /// GitHub delivers an event to the gateway (signed with X-Hub-Signature-256) and records how it was answered, as
    /// "Recent deliveries" shows it; answers the delivery recorded.
    /// </summary>
    public async Task<Delivery> DeliverAsync(string eventName, string body, string? guid = null, bool redelivery = false)
    {
        guid ??= Guid.NewGuid().ToString();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, gatewayPath) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/stub");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", guid);
        request.Headers.Add("X-GitHub-Hook-ID", HookId.ToString(CultureInfo.InvariantCulture));
        // Written from GitHub's description (not the gateway's code): "sha256=" + hex HMAC-SHA256 of the body with the secret.
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        var started = DateTimeOffset.UtcNow;
        (string Status, int Code) outcome;
        try
        {
            using var response = await (Gateway ?? throw new InvalidOperationException("No gateway to deliver to yet.")).SendAsync(request);
            var code = (int)response.StatusCode;
            outcome = code is >= 200 and <= 299 ? ("OK", code) : ($"Invalid HTTP Response: {code}", code);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            outcome = ("failed to connect to host", 0);
        }

        return Record(eventName, body, guid, redelivery, outcome.Status, outcome.Code, started);
    }

    /// <summary>A delivery GitHub could not make at all (the receiver unreachable): recorded as failed, never received.</summary>
    public Delivery RecordUnreachable(string eventName, string body, string? guid = null, DateTimeOffset? at = null) =>
        Record(eventName, body, guid ?? Guid.NewGuid().ToString(), false, "failed to connect to host", 0, at ?? DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        AppKey.Dispose();
    }

    private Delivery Record(string eventName, string body, string guid, bool redelivery, string status, int code, DateTimeOffset at)
    {
        var delivery = new Delivery(Interlocked.Increment(ref nextId), guid, at, redelivery, status, code, eventName,
            JsonNode.Parse(body)?["action"]?.GetValue<string>(), body);
        deliveries.Enqueue(delivery);
        return delivery;
    }

    private IResult List(HttpContext context, bool known, bool app)
    {
        if (Refuse(context, known, app) is { } refused)
        {
            return refused;
        }

        var perPage = Math.Clamp(int.TryParse(context.Request.Query["per_page"], out var asked) ? asked : 30, 1, 100);
        var size = Math.Min(perPage, PageLimit);
        var newestFirst = deliveries.OrderByDescending(d => d.Id).ToList();
        var start = 0;
        if (context.Request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            // The cursor names the first delivery of the page asked for.
            start = newestFirst.FindIndex(d => $"v1_{d.Id}" == cursor);
            if (start < 0)
            {
                return Results.Json(new { message = "Invalid cursor", documentation_url = "https://docs.github.com/rest" }, statusCode: 400);
            }
        }

        var page = newestFirst.Skip(start).Take(size).ToList();
        if (start + size < newestFirst.Count)
        {
            var next = $"{BaseUrl}{context.Request.Path}?per_page={perPage}&cursor=v1_{newestFirst[start + size].Id}";
            context.Response.Headers.Append("Link", $"<{next}>; rel=\"next\"");
        }

        return Results.Json(page.Select(d => new JsonObject
        {
            ["id"] = d.Id,
            ["guid"] = d.DeliveryGuid,
            ["delivered_at"] = d.DeliveredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["redelivery"] = d.Redelivery,
            ["duration"] = 0.12,
            ["status"] = d.Status,
            ["status_code"] = d.StatusCode,
            ["event"] = d.Event,
            ["action"] = d.Action,
            ["installation_id"] = null,
            ["repository_id"] = 1296269,
            ["throttled_at"] = null,
        }).ToList());
    }

    private IResult Redeliver(HttpContext context, bool known, long id, bool app)
    {
        if (Refuse(context, known, app) is { } refused)
        {
            return refused;
        }

        var original = deliveries.FirstOrDefault(d => d.Id == id);
        if (original is null)
        {
            return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: 404);
        }

        RedeliveryRequests.Enqueue(id);
        // Accepted: GitHub delivers it again in the background, as a new delivery with the same guid.
        _ = Task.Run(() => RedeliveriesFail
            ? Task.FromResult(Record(original.Event, original.Body, original.DeliveryGuid, true, "failed to connect to host", 0, DateTimeOffset.UtcNow))
            : DeliverAsync(original.Event, original.Body, original.DeliveryGuid, redelivery: true));
        return Results.Json(new JsonObject(), statusCode: 202);
    }

    /// <summary>What GitHub refuses before looking at the request: no User-Agent, bad credentials, a used-up rate limit.</summary>
    private IResult? Refuse(HttpContext context, bool known, bool app)
    {
        var headers = context.Request.Headers;
        Requests.Enqueue(new ApiRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
            headers.Authorization.ToString(), headers.UserAgent.ToString(), headers.Accept.ToString(), headers["X-GitHub-Api-Version"].ToString()));
        if (string.IsNullOrEmpty(headers.UserAgent))
        {
            return Results.Text("Request forbidden by administrative rules. Please make sure your request has a User-Agent header.", statusCode: 403);
        }

        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !(app ? ValidJwt(authorization["Bearer ".Length..]) : authorization["Bearer ".Length..] == Token))
        {
            return Results.Json(new { message = app ? "A JSON web token could not be decoded" : "Bad credentials", documentation_url = "https://docs.github.com/rest", status = "401" }, statusCode: 401);
        }

        var response = context.Response.Headers;
        if (SecondaryLimitRetryAfter is { } wait)
        {
            response.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new
            {
                message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            }, statusCode: 403);
        }

        response["X-RateLimit-Limit"] = "5000";
        response["X-RateLimit-Resource"] = "core";
        response["X-RateLimit-Reset"] = RateLimitReset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (RateLimitRemaining <= 0)
        {
            response["X-RateLimit-Remaining"] = "0";
            response["X-RateLimit-Used"] = "5000";
            return Results.Json(new { message = "API rate limit exceeded", documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }, statusCode: 403);
        }

        RateLimitRemaining--;
        response["X-RateLimit-Remaining"] = RateLimitRemaining.ToString(CultureInfo.InvariantCulture);
        response["X-RateLimit-Used"] = (5000 - RateLimitRemaining).ToString(CultureInfo.InvariantCulture);
        return known ? null : Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: 404);
    }

    /// <summary>RS256 over "header.payload" with the app's public key; iss the app id; iat in the past; exp at most 10 minutes ahead.</summary>
    private bool ValidJwt(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url(parts[1]));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = payload.RootElement;
        return header.RootElement.GetProperty("alg").GetString() == "RS256"
            && AppKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            && claims.GetProperty("iss").ToString() == AppId
            && claims.GetProperty("iat").GetInt64() <= now
            && claims.GetProperty("exp").GetInt64() > now
            && claims.GetProperty("exp").GetInt64() <= now + 600;
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    /// <summary>One delivery as GitHub records it.</summary>
    public sealed record Delivery(long Id, string DeliveryGuid, DateTimeOffset DeliveredAt, bool Redelivery, string Status, int StatusCode, string Event, string? Action, string Body);
}
