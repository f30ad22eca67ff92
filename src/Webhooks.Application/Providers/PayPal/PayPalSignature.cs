using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Webhooks.Application.Ingestion;
using Webhooks.Domain.Sources;

namespace Webhooks.Application.Providers.PayPal;

/// <summary>
/// PayPal's offline verification: PAYPAL-TRANSMISSION-SIG is an RSA-SHA256 (PKCS#1 v1.5) signature over
/// "{transmission id}|{transmission time}|{webhook id}|{CRC-32 of the raw body, unsigned decimal}", checked against
/// the trusted certificate(s) of the source's CertificatePath. PAYPAL-CERT-URL is never fetched: a request must not
/// choose the key it is checked with.
/// </summary>
public static class PayPalSignature
{
    public const string IdHeader = "PAYPAL-TRANSMISSION-ID";
    public const string TimeHeader = "PAYPAL-TRANSMISSION-TIME";
    public const string SignatureHeader = "PAYPAL-TRANSMISSION-SIG";
    public const string AlgorithmHeader = "PAYPAL-AUTH-ALGO";

    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), X509Certificate2Collection> Trusted = new();

    public static SignatureCheck Verify(WebhookRequest request, WebhookSource source, DateTimeOffset now)
    {
        var id = request.Header(IdHeader);
        var time = request.Header(TimeHeader);
        var signature = request.Header(SignatureHeader);
        if (id is null || time is null || signature is null)
        {
            return SignatureCheck.MissingHeader(id is null ? IdHeader : time is null ? TimeHeader : SignatureHeader);
        }

        if (request.Header(AlgorithmHeader) is { } algorithm && !string.Equals(algorithm, "SHA256withRSA", StringComparison.OrdinalIgnoreCase))
        {
            return SignatureCheck.Fail($"{AlgorithmHeader} '{algorithm}' is not SHA256withRSA.");
        }

        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sentAt)
            || (now - sentAt).Duration() > source.Tolerance)
        {
            return SignatureCheck.Fail($"{TimeHeader} is not a time within {source.ToleranceSeconds} s of now.");
        }

        if (Signatures.TryFromBase64(signature) is not { } presented)
        {
            return SignatureCheck.Fail($"{SignatureHeader} is not base64.");
        }

        var signed = Signatures.Utf8(SignedText(id, time, source.WebhookId!, request.Body));
        foreach (var certificate in TrustedCertificates(source.CertificatePath!))
        {
            if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime || certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            {
                continue;
            }

            using var key = certificate.GetRSAPublicKey();
            if (key is not null && key.VerifyData(signed, presented, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return SignatureCheck.Passed;
            }
        }

        return SignatureCheck.Fail("The signature does not verify with any trusted PayPal certificate.");
    }

    public static string SignedText(string transmissionId, string time, string webhookId, byte[] body) =>
        $"{transmissionId}|{time}|{webhookId}|{System.IO.Hashing.Crc32.HashToUInt32(body).ToString(CultureInfo.InvariantCulture)}";

    private static X509Certificate2Collection TrustedCertificates(string path)
    {
        var modified = File.GetLastWriteTimeUtc(path);
        return Trusted.GetOrAdd((path, modified), key =>
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(key.Path);
            return certificates;
        });
    }
}
