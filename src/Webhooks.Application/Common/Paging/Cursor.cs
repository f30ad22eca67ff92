using FluentValidation;

namespace Webhooks.Application.Common.Paging;

/// <summary>{"items": [...], "next_cursor": "…" | null} — the admin lists' shape (docs/contract.md, Administration).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// An opaque keyset cursor: the id of the last row of a page. Ids are UUIDv7, so id order is time order and paging
/// walks an index: the ten-thousandth page costs what the first does (no OFFSET).
/// </summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Encode(Guid id) => Convert.ToBase64String(id.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        var padded = cursor.Replace('-', '+').Replace('_', '/') + "==";
        var bytes = new byte[16];
        return Convert.TryFromBase64String(padded, bytes, out var written) && written == 16
            ? new Guid(bytes)
            : throw new ValidationException("The cursor is not one this API issued.");
    }

    /// <summary>
    /// The smallest UUIDv7 of a millisecond: ids are made from the receive time, so a time range is also an id range,
    /// and a search by time walks the primary key from the right place instead of filtering its way there.
    /// </summary>
    public static Guid TimeBound(DateTimeOffset at)
    {
        var ms = Math.Max(0, at.ToUnixTimeMilliseconds());
        var hex = ms.ToString("x12", System.Globalization.CultureInfo.InvariantCulture);
        return Guid.Parse($"{hex[..8]}-{hex[8..12]}-7000-8000-000000000000");
    }

    /// <summary>A status filter's value: one of the enum's names (any case); numbers and unknown names are refused (400).</summary>
    public static TEnum ParseStatus<TEnum>(string value, string allowed)
        where TEnum : struct, Enum =>
        value.Length > 0 && !char.IsAsciiDigit(value[0]) && value[0] != '-' && value[0] != '+'
            && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ValidationException($"status must be {allowed}.");

    /// <summary>The exclusive upper id bound of a time range ending at <paramref name="to"/>, safe at the end of time.</summary>
    public static Guid TimeBoundAfter(DateTimeOffset to) =>
        TimeBound(to >= DateTimeOffset.MaxValue.AddMilliseconds(-1) ? DateTimeOffset.MaxValue : to.AddMilliseconds(1));

    public static int Limit(int? limit) => limit is null ? DefaultLimit : Math.Clamp(limit.Value, 1, MaxLimit);

    /// <summary>Takes one row more than the page to know whether another page follows.</summary>
    public static Page<TOut> ToPage<TIn, TOut>(List<TIn> rows, int limit, Func<TIn, Guid> id, Func<TIn, TOut> map) =>
        new(rows.Take(limit).Select(map).ToList(), rows.Count > limit ? Encode(id(rows[limit - 1])) : null);
}
