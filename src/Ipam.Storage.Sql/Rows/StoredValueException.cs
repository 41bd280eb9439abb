namespace Ipam.Storage.Sql.Rows;

/// <summary>A stored value the service cannot read (<see cref="StoredValues"/>); the row's reader names the row with <see cref="Of"/>.</summary>
internal sealed class StoredValueException(string column, string problem) : Exception($"{column} {problem}")
{
    /// <summary>The domain error of the row of <paramref name="table"/> with <paramref name="key"/> that holds the value.</summary>
    public UnreadableRowException Of(string table, string key) => new(new UnreadableRow(table, key, Message));
}
