using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Sources;

/// <summary>
/// Webhooks:DataProtection — the certificate that encrypts the Data Protection key ring (contract v3, Operations).
/// The ring lives in the same database as the secrets it protects: without a certificate, whoever reads a backup or
/// holds a read-only role can decrypt every inbound and outbound secret.
/// </summary>
internal sealed class KeyRingOptions
{
    /// <summary>A PKCS#12 file (.pfx/.p12) or a PEM file holding the certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>Whether the key ring is encrypted at rest: what the admin health details report as key_ring.</summary>
internal sealed class KeyRingState(bool protectedByCertificate)
{
    public bool Protected { get; } = protectedByCertificate;

    public string Status => Protected ? "protected" : "unprotected";
}

internal static partial class KeyRingProtection
{
    /// <summary>
    /// Encrypts new keys of the ring with the configured certificate and decrypts with it (keys written before stay
    /// readable); start-up fails, naming the key, when the certificate cannot be loaded or has no private key.
    /// </summary>
    public static IServiceCollection AddKeyRingProtection(this IServiceCollection services, IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var options = configuration.GetSection("Webhooks:DataProtection").Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            services.AddSingleton(new KeyRingState(false));
            services.AddHostedService<UnprotectedKeyRingWarning>();
            return services;
        }

        var certificate = Load(options.CertificatePath, options.CertificatePassword);
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        services.AddSingleton(new KeyRingState(true));
        return services;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        const string key = "Webhooks:DataProtection:CertificatePath";
        if (!File.Exists(path))
        {
            throw new OptionsValidationException(key, typeof(KeyRingOptions), [$"{key}: no file at '{path}'."]);
        }

        try
        {
            var certificate = path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new OptionsValidationException(key, typeof(KeyRingOptions), [$"{key}: the certificate in '{path}' has no private key, which decrypting the key ring needs."]);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new OptionsValidationException(key, typeof(KeyRingOptions), [$"{key}: '{path}' could not be read as a certificate with its private key ({ex.Message}); a PKCS#12 file needs Webhooks:DataProtection:CertificatePassword if it has one."]);
        }
    }

    /// <summary>A loud warning at every start while the key ring is stored unencrypted.</summary>
    private sealed partial class UnprotectedKeyRingWarning(ILogger<UnprotectedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogUnprotected(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "The Data Protection key ring is stored unencrypted in the database, beside the secrets it encrypts: a backup or a read-only role yields every source and subscription secret. Set Webhooks:DataProtection:CertificatePath (and CertificatePassword) to encrypt it.")]
        private static partial void LogUnprotected(ILogger logger);
    }
}
