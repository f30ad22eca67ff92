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

    public static NpgsqlParameter Of(IEnumerable<int> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    public static NpgsqlParameter Of(IEnumerable<int?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    public static NpgsqlParameter Of(IEnumerable<bool> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean };

    public static NpgsqlParameter Of(IEnumerable<byte[]?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea };

    /// <summary>PostgreSQL text cannot hold NUL; a hostile header or field must not fail a whole batch.</summary>
    public static NpgsqlParameter Of(IEnumerable<string?> values, NpgsqlDbType type = NpgsqlDbType.Text) =>
        new() { Value = values.Select(v => v is not null && v.Contains('\0', StringComparison.Ordinal) ? v.Replace('\0', '\uFFFD') : v).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}
