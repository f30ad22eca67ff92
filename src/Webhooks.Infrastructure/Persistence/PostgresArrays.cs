using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>Array parameters for the statements that write many rows at once through unnest.</summary>
internal static class PostgresArrays
{
    public static NpgsqlParameter Of(IEnumerable<Guid> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    public static NpgsqlParameter Of(IEnumerable<Guid?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid };

    public static NpgsqlParameter Of(IEnumerable<DateTimeOffset> values) =>
        new() { Value = values.Select(v => v.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter Of(IEnumerable<DateTimeOffset?> values) =>
        new() { Value = values.Select(v => v?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    public static NpgsqlParameter Of(IEnumerable<long> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    public static NpgsqlParameter Of(IEnumerable<int> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    public static NpgsqlParameter Of(IEnumerable<int?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    public static NpgsqlParameter Of(IEnumerable<bool> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean };

    public static NpgsqlParameter Of(IEnumerable<byte[]?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea };

    /// <summary>
    /// PostgreSQL text holds neither NUL nor half a surrogate pair (which UTF-8 cannot encode); a hostile header or field
    /// must not fail a whole batch, so both become U+FFFD.
    /// </summary>
    public static NpgsqlParameter Of(IEnumerable<string?> values, NpgsqlDbType type = NpgsqlDbType.Text) =>
        new() { Value = values.Select(Storable).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    internal static string? Storable(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var clean = true;
        for (var i = 0; i < value.Length && clean; i++)
        {
            clean = value[i] != '\0' && (!char.IsSurrogate(value[i]) || (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[++i])));
        }

        if (clean)
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(value[i]).Append(value[++i]);
            }
            else
            {
                text.Append(value[i] == '\0' || char.IsSurrogate(value[i]) ? '\uFFFD' : value[i]);
            }
        }

        return text.ToString();
    }
}
