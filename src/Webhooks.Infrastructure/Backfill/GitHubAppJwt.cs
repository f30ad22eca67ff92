using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Webhooks.Infrastructure.Backfill;

/// <summary>
/// The JSON Web Token a GitHub App authenticates with, as GitHub requires it
/// (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app):
/// RS256 with the app's private key; <c>iat</c> 60 seconds in the past against clock drift, <c>exp</c> at most 10
/// minutes ahead (9 here), <c>iss</c> the app's id (a number) or client id (a string).
/// </summary>
internal static class GitHubAppJwt
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);
    private static readonly TimeSpan Drift = TimeSpan.FromSeconds(60);

    public static string Create(string appId, string privateKeyPem, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var header = Encode("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = new Dictionary<string, object>
        {
            ["iat"] = (now - Drift).ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iss"] = long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric) ? numeric : appId,
        };
        var signed = $"{header}.{Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Encode(signature)}";
    }

    private static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
