namespace Webhooks.Application.Common.Exceptions;

/// <summary>The source does not exist or is disabled (404).</summary>
public sealed class SourceNotFoundException(string source)
    : Exception($"No enabled webhook source is named '{source}'.")
{
    public string SourceName { get; } = source;
}

/// <summary>The signature is missing, does not match, or its timestamp is outside the tolerance (401).</summary>
public sealed class SignatureRejectedException(string reason) : Exception(reason);

/// <summary>The body or a required provider header is malformed or missing (400).</summary>
public sealed class MalformedWebhookException(string reason) : Exception(reason);

/// <summary>The body is larger than the source allows (413).</summary>
public sealed class PayloadTooLargeException(long limit)
    : Exception($"The body is larger than this source's limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>The webhook could not be committed; the provider should retry (503).</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A record named in an admin request does not exist (404).</summary>
public sealed class NotFoundException(string what, object id) : Exception($"{what} '{id}' was not found.");

/// <summary>The request conflicts with the record's state (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>The caller is who it says, but may not do this (403): an application's key outside its application.</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The source accepts deliveries only from its AllowedIps.</summary>
public sealed class AddressNotAllowedException(string source, string? address)
    : Exception($"Source '{source}' does not accept deliveries from {address ?? "an unknown address"}.");
