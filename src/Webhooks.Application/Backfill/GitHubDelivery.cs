namespace Webhooks.Application.Backfill;

/// <summary>
/// One delivery of a GitHub hook as "List deliveries for a … webhook" describes it: its numeric id (to redeliver it),
/// its guid (the X-GitHub-Delivery the inbox keeps as idempotency key), when it was delivered and how the receiver
/// answered (<c>status</c> "OK" and a 2xx <c>status_code</c> for a success).
/// </summary>
public sealed record GitHubDelivery(
    long Id, string DeliveryGuid, DateTimeOffset DeliveredAt, bool Redelivery, string? Status, int? StatusCode, string? Event, string? Action)
{
    /// <summary>GitHub recorded it as failed: a status other than "OK", or a status code outside 2xx (0 when nothing answered).</summary>
    public bool Failed => !string.Equals(Status, "OK", StringComparison.Ordinal) || StatusCode is not (>= 200 and <= 299);

    /// <summary>
    /// Of the deliveries listed, the ones to redeliver: per guid the latest failed delivery, unless another delivery of
    /// that guid succeeded (a redelivery got through, or the body was a duplicate the gateway acknowledged); oldest first,
    /// so the receiver sees them in their original order.
    /// </summary>
    public static IReadOnlyList<GitHubDelivery> ToRedeliver(IEnumerable<GitHubDelivery> listed) =>
        listed.GroupBy(d => d.DeliveryGuid, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.All(d => d.Failed))
            .Select(g => g.OrderByDescending(d => d.DeliveredAt).ThenByDescending(d => d.Id).First())
            .OrderBy(d => d.DeliveredAt).ThenBy(d => d.Id)
            .ToList();
}

/// <summary>One page of a hook's deliveries, newest first, and the cursor of the next (from the Link header), if any.</summary>
public sealed record GitHubDeliveryPage(IReadOnlyList<GitHubDelivery> Deliveries, string? NextCursor);
