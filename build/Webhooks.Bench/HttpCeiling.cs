using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Webhooks.Bench;

/// <summary>The HTTP denominator: Kestrel reading the same body and HMAC-ing it, nothing else.</summary>
internal static class HttpCeiling
{
    public static async Task<int> RunAsync(Options options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Get("urls"));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var key = Encoding.UTF8.GetBytes("ceiling-secret");
        app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var mac = HMACSHA256.HashData(key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            return Results.Ok(new { id = Convert.ToHexString(mac, 0, 8), status = "accepted", duplicate = false });
        });
        await app.RunAsync();
        return 0;
    }
}
