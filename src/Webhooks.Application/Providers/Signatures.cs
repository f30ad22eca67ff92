using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.Application.Common.Exceptions;

namespace Webhooks.Application.Providers;

/// <summary>The primitives every scheme shares: keyed hashes, constant-time comparison, timestamp tolerance.</summary>
public static class Signatures
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static byte[] HmacSha256(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    public static byte[] HmacSha256(byte[] key, SignedContent content) => Hmac("sha256", key, content);

    /// <summary>The HMAC of text around the raw body, fed piece by piece: the body is never copied to be signed.</summary>
    public static byte[] Hmac(string algorithm, byte[] key, SignedContent content)
    {
        using var hmac = IncrementalHash.CreateHMAC(algorithm switch
        {
            "sha1" => HashAlgorithmName.SHA1,
            "sha256" => HashAlgorithmName.SHA256,
            "sha512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Expected sha1, sha256 or sha512."),
        }, key);
        hmac.AppendData(content.Head);
        hmac.AppendData(content.Body);
        hmac.AppendData(content.Tail);
        return hmac.GetHashAndReset();
    }

    public static byte[] Hmac(string algorithm, byte[] key, ReadOnlySpan<byte> data) => algorithm switch
    {
#pragma warning disable CA5350 // Twilio and some HMAC senders sign with HMAC-SHA1; it is their scheme, not our choice.
        "sha1" => HMACSHA1.HashData(key, data),
#pragma warning restore CA5350
        "sha256" => HMACSHA256.HashData(key, data),
        "sha512" => HMACSHA512.HashData(key, data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Expected sha1, sha256 or sha512."),
    };

    /// <summary>
    /// True when any presented signature equals the one computed with any configured secret. Every pair is compared
    /// in constant time, and the loop does not stop early on a match, so timing says nothing about which secret.
    /// </summary>
    public static bool MatchesAny(IEnumerable<string> secrets, Func<string, byte[]?> compute, IReadOnlyCollection<byte[]> presented)
    {
        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = compute(secret);
            if (expected is null)
            {
                continue;
            }

            foreach (var candidate in presented)
            {
                matched |= FixedTimeEquals(expected, candidate);
            }
        }

        return matched;
    }

    /// <summary>The signed-timestamp rule shared by the schemes that sign one; null when the timestamp is acceptable.</summary>
    public static SignatureCheck? CheckTimestamp(string? unixSeconds, string header, DateTimeOffset now, TimeSpan tolerance)
    {
        if (unixSeconds is null)
        {
            return SignatureCheck.MissingHeader(header);
        }

        return WithinTolerance(unixSeconds, now, tolerance, out _)
            ? null
            : SignatureCheck.Fail($"The signed timestamp in {header} is not a Unix time within {tolerance.TotalSeconds:0} s of now (a replay, or a clock far off).");
    }

    /// <summary>UTF-8 text around the raw body, as a signature covers it (the body is neither decoded nor copied).</summary>
    public static SignedContent Concat(string prefix, byte[] body, string suffix = "") =>
        new(Encoding.UTF8.GetBytes(prefix), body, Encoding.UTF8.GetBytes(suffix));

    /// <summary>Compares two byte strings in time that depends only on their lengths.</summary>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        CryptographicOperations.FixedTimeEquals(expected, actual);

    /// <summary>Decodes base64 without throwing; a malformed value simply does not match.</summary>
    public static byte[]? TryFromBase64(string value)
    {
        var buffer = new byte[((value.Length + 3) / 4) * 3];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) ? buffer[..written] : null;
    }

    public static byte[]? TryFromHex(string value)
    {
        try
        {
            return Convert.FromHexString(value.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>True when the signed Unix timestamp is within the tolerance of now, in either direction.</summary>
    public static bool WithinTolerance(string? unixSeconds, DateTimeOffset now, TimeSpan tolerance, out DateTimeOffset signedAt)
    {
        signedAt = default;
        if (!long.TryParse(unixSeconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        signedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return (now - signedAt).Duration() <= tolerance;
    }

    /// <summary>Parses a JSON body, answering 400 with the reason when it is not JSON.</summary>
    public static JsonNode ParseJson(byte[] body)
    {
        // System.Text.Json does not reject every invalid UTF-8 sequence inside strings; a body that is not UTF-8
        // is not JSON, and storing it would hand consumers text they cannot decode.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            throw new MalformedWebhookException("The body is not valid UTF-8, so it is not JSON.");
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: DocumentOptions)
                ?? throw new MalformedWebhookException("The body is JSON null; a JSON object was expected.");
        }
        catch (JsonException ex)
        {
            throw new MalformedWebhookException($"The body is not valid JSON: {ex.Message}");
        }
    }

    public static JsonObject ParseJsonObject(byte[] body) =>
        ParseJson(body) as JsonObject ?? throw new MalformedWebhookException("The body is JSON but not an object.");

    /// <summary>The idempotency key of last resort, where a provider sends no id: a hash of the raw body.</summary>
    /// <summary>A provider's occurred-at time: Unix seconds, or an ISO 8601 / RFC 3339 text; null when it is neither.</summary>
    public static DateTimeOffset? ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    public static string BodyKey(byte[] body) => "sha256:" + Sha256Hex(body);

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

/// <summary>What a signature covers: text, the raw body, text (the body is held, not copied).</summary>
public readonly record struct SignedContent(byte[] Head, byte[] Body, byte[] Tail);
