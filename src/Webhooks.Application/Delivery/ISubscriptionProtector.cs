namespace Webhooks.Application.Delivery;

/// <summary>Encrypts what subscriptions keep secret — signing secrets and custom headers — before it is stored.</summary>
public interface ISubscriptionProtector
{
    string Protect(string secret);

    string ProtectHeaders(IReadOnlyDictionary<string, string>? headers);

    /// <summary>The headers in clear; none when their key is gone from the ring.</summary>
    IReadOnlyDictionary<string, string> UnprotectHeaders(string stored);
}
