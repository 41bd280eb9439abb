namespace Ipam.Storage.Sql;

/// <summary>
/// The typed parameters of one statement, each bound with its column's type (ids and times as the dialect
/// stores them), so the driver never has to guess a type from a null. Dapper binds them to its commands;
/// the session binds them to its prepared ones the same way, by name or by position.
/// </summary>
internal sealed class SqlArguments(SqlDialect dialect) : SqlMapper.IDynamicParameters
{
    /// <summary>Addresses are stored as 16 bytes, big-endian, so that byte order is address order in both families.</summary>
    private const int KeyLength = 16;

    private readonly List<(string Name, object? Value, DbType Type, int Size)> _arguments = new(6);

    public SqlArguments Id(string name, Guid? id) => Add(name, id is { } value ? dialect.IdValue(value) : null, dialect.IdType);

    /// <summary>
    /// A list of ids: one array where the dialect binds arrays, otherwise a JSON array of their stored form (which the
    /// statement reads with <c>json_each</c>).
    /// </summary>
    public SqlArguments Ids(string name, IReadOnlyList<Guid> ids)
    {
        var values = ids.Select(dialect.IdValue).ToList();
        return dialect.BindsArrays
            ? Add(name, dialect.ArrayOf(dialect.IdType, values), DbType.Object)
            : Add(name, System.Text.Json.JsonSerializer.Serialize(values), DbType.String);
    }

    public SqlArguments Key(string name, IpAddress? address) => Add(name, address?.ToKey(), DbType.Binary, KeyLength);

    /// <summary>An address bound, or the empty key, which sorts before every address.</summary>
    public SqlArguments KeyAfter(string name, IpAddress? address) => Add(name, address?.ToKey() ?? [], DbType.Binary, KeyLength);

    public SqlArguments Time(string name, DateTimeOffset? time) =>
        Add(name, time is { } value ? dialect.TimeValue(value) : null, dialect.TimeType);

    public SqlArguments Bytes(string name, ReadOnlyMemory<byte> bytes) => Add(name, bytes.ToArray(), DbType.Binary, bytes.Length);

    public SqlArguments Text(string name, string? text) => Add(name, text, DbType.String);

    public SqlArguments Version(string name, IpVersion? version) => SmallInt(name, (int?)version);

    public SqlArguments SmallInt(string name, int? value) => Add(name, (short?)value, DbType.Int16);

    public SqlArguments Int(string name, int value) => Add(name, value, DbType.Int32);

    public SqlArguments BigInt(string name, long? value) => Add(name, value, DbType.Int64);

    /// <summary>
    /// One column of <paramref name="rows"/>, each row's value of column type <paramref name="type"/> given by
    /// <paramref name="value"/> in the dialect's form: one array of every row's value where the dialect binds
    /// arrays (and <paramref name="asArray"/> does not say otherwise), otherwise the value of the only row.
    /// </summary>
    public SqlArguments Column<TRow>(string name, DbType type, IReadOnlyList<TRow> rows, Func<TRow, object?> value, bool asArray = true)
    {
        if (!dialect.BindsArrays || !asArray)
        {
            return rows.Count == 1
                ? Add(name, value(rows[0]), type)
                : throw new ArgumentException("Without arrays a statement binds one row.", nameof(rows));
        }

        var values = new object?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        // The array's element type tells the driver the column type.
        return Add(name, dialect.ArrayOf(type, values), DbType.Object);
    }

    /// <summary>
    /// Adds the parameters to <paramref name="command"/>, named (each name after <paramref name="prefix"/>), or in order
    /// when <paramref name="named"/> is false.
    /// </summary>
    public void BindTo(IDbCommand command, bool named, string prefix = "") => BindTo(command.Parameters, command.CreateParameter, named, prefix);

    /// <summary>Adds the parameters, made by <paramref name="create"/>, to <paramref name="parameters"/>.</summary>
    public void BindTo(System.Collections.IList parameters, Func<IDbDataParameter> create, bool named, string prefix = "")
    {
        foreach (var (name, value, type, size) in _arguments)
        {
            var parameter = create();
            if (named)
            {
                parameter.ParameterName = prefix + name;
            }

            if (type != DbType.Object)
            {
                parameter.DbType = type;
            }

            if (size > 0)
            {
                parameter.Size = size;
            }

            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    /// <summary>How many parameters there are.</summary>
    public int Count => _arguments.Count;

    /// <summary>The name (without a prefix) and the value, in the dialect's form, of parameter <paramref name="index"/>.</summary>
    public (string Name, object? Value) this[int index] => (_arguments[index].Name, _arguments[index].Value);

    void SqlMapper.IDynamicParameters.AddParameters(IDbCommand command, SqlMapper.Identity identity) => BindTo(command, named: true);

    private SqlArguments Add(string name, object? value, DbType type, int size = 0)
    {
        _arguments.Add((name, value, type, size));
        return this;
    }
}
