using Npgsql;

namespace Webhooks.Infrastructure.Persistence;

/// <summary>One hand-written statement with positional parameters, for the paths that do not go through EF Core.</summary>
internal static class Sql
{
    /// <summary>Runs <paramref name="sql"/> with $1, $2… bound to <paramref name="values"/> (an NpgsqlParameter is bound as given); answers the rows affected.</summary>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or the default when there is none or it is NULL.</summary>
    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? default! : (T)result;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
