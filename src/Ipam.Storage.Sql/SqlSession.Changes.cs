using System.Buffers;
using System.Text;
using System.Text.Json;
using Dapper;
using Ipam.Addressing;
using Ipam.Changes;
using Ipam.Storage.Sql.Rows;

namespace Ipam.Storage.Sql;

/// <summary>
/// The change log. A unit's changes wait in memory until its transaction commits; the engine then appends
/// the changes of every unit that succeeded, last, in one statement (<see cref="AppendChangesAsync"/>).
/// </summary>
internal sealed partial class SqlSession
{
    private readonly List<Change> _changes = [];

    public IReadOnlyList<Change> Changes => _changes;

    public void RecordChange(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _changes.Add(change);
    }

    public async ValueTask<IReadOnlyList<Change>> ListChangesAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var arguments = Arguments().BigInt("after", query.After).Int("limit", query.Limit).Text("tenant", query.TenantId);
        var rows = await QueryAsync<ChangeRow>(Sql.SelectChanges, arguments, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => r.ToChange(dialect));
    }

    /// <remarks>On a prepared command: every allocation runs it to catch up with other writers.</remarks>
    public ValueTask<IReadOnlyList<Change>> ListSubnetAllocationChangesAsync(Guid subnetId, long after, CancellationToken cancellationToken) =>
        ReadAllocationChangesAsync(Sql.SelectSubnetAllocationChanges, Arguments().Id("subnet", subnetId).BigInt("after", after), cancellationToken);

    public ValueTask<IReadOnlyList<Change>> ListRecentSubnetAllocationChangesAsync(Guid subnetId, DateTimeOffset since, CancellationToken cancellationToken) =>
        ReadAllocationChangesAsync(Sql.SelectRecentSubnetAllocationChanges, Arguments().Id("subnet", subnetId).Time("since", since), cancellationToken);

    /// <summary>Reads (seq, type, at, ip_address) rows.</summary>
    private async ValueTask<IReadOnlyList<Change>> ReadAllocationChangesAsync(string sql, SqlArguments arguments, CancellationToken cancellationToken)
    {
        var command = Prepared(sql, arguments);
        try
        {
            List<Change>? changes = null;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                (changes ??= []).Add(new Change
                {
                    Sequence = reader.GetInt64(0),
                    Type = reader.GetString(1),
                    At = dialect.ReadTime(reader.GetValue(2)),
                    Actor = "",
                    Address = IpAddress.Parse(reader.GetString(3)),
                });
            }

            return changes ?? (IReadOnlyList<Change>)[];
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> FindLastChangeSequenceAsync(CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(Command(Sql.SelectLastChangeSequence, Arguments(), cancellationToken)).ConfigureAwait(false);

    public async ValueTask<int> DeleteChangesBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        await WriteAsync(WriteScope.OtherRows, Sql.DeleteChangesBefore, Arguments().Time("cutoff", cutoff).Int("limit", limit), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Appends <paramref name="changes"/> to the log in one statement; the engine calls it right before the commit.</summary>
    public async ValueTask AppendChangesAsync(IReadOnlyList<Change> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        Declare(WriteScope.OtherRows);
        // On a prepared command: every write transaction runs it.
        var command = Prepared(Sql.AppendChanges, Arguments().Text("batch", BatchOf(changes)));
        try
        {
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(command).ConfigureAwait(false);
        }
    }

    /// <summary>The changes as the JSON array <see cref="SqlText.AppendChanges"/> reads, ids and times in the dialect's forms.</summary>
    private string BatchOf(IReadOnlyList<Change> changes)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * changes.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var change in changes)
            {
                writer.WriteStartObject();
                WriteValue(writer, "at", dialect.TimeValue(change.At));
                writer.WriteString("type", change.Type);
                writer.WriteString("actor", change.Actor);
                writer.WriteString("tenant_id", change.TenantId);
                WriteValue(writer, "subnet_id", change.SubnetId is { } subnet ? dialect.IdValue(subnet) : null);
                WriteValue(writer, "resource_id", change.ResourceId is { } resource ? dialect.IdValue(resource) : null);
                writer.WriteString("ip_address", change.Address?.ToString());
                writer.WriteString("cidr", change.Cidr?.ToString());
                writer.WriteString("reason", change.Reason);
                WriteValue(writer, "held_since", change.HeldSince is { } held ? dialect.TimeValue(held) : null);
                writer.WriteString("before", change.Before);
                writer.WriteString("after", change.After);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An id or time as the dialect stores it: text as it is, a uuid or timestamp in JSON's ISO forms.</summary>
    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string text:
                writer.WriteString(name, text);
                break;
            case Guid id:
                writer.WriteString(name, id);
                break;
            case DateTimeOffset time:
                writer.WriteString(name, time);
                break;
            case DateTime time:
                writer.WriteString(name, time);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType(), "Not an id or time form.");
        }
    }
}
