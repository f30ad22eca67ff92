namespace Webhooks.Application.Providers;

/// <summary>The outcome of verifying a delivery's signature; a failure says which check failed, never the secret.</summary>
public readonly record struct SignatureCheck(bool Valid, string? Failure)
{
    public static SignatureCheck Passed { get; } = new(true, null);

    public static SignatureCheck Fail(string failure) => new(false, failure);

    public static SignatureCheck MissingHeader(string header) => Fail($"The {header} header is missing.");

    public static SignatureCheck Mismatch { get; } = Fail("The signature does not match the body with any of this source's secrets.");
}
