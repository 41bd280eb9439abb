namespace Ipam.Storage.Sql;

/// <summary>
/// What one SQL store supplies to the shared session: its statements, how it stores ids and times, how its
/// hot statements take their parameters, and how its driver reports a foreign-key violation. The fixed facts
/// are given once to the constructor; the conversions are each dialect's own.
/// </summary>
/// <param name="sql">The store's statements.</param>
/// <param name="idType">The column type of ids (uuid, or canonical text where the database has no uuid type).</param>
/// <param name="timeType">The column type of times (timestamptz, or fixed-width UTC text whose order is time order).</param>
/// <param name="namesParameters">
/// Whether the hot statements (<see cref="SqlText.InsertAllocation"/> and the others run on prepared
/// commands) bind parameters by name; otherwise by position, in the order the session adds them.
/// </param>
/// <param name="bindsArrays">
/// Whether a statement can take a column of many rows as one array parameter (<see cref="ArrayOf"/>): then
/// <see cref="SqlText.AppendChanges"/> appends all of a transaction's changes at once, else it runs once per change.
/// </param>
internal abstract class SqlDialect(SqlText sql, DbType idType, DbType timeType, bool namesParameters, bool bindsArrays)
{
    public SqlText Sql => sql;

    public DbType IdType => idType;

    public DbType TimeType => timeType;

    /// <summary>See the constructor's <c>namesParameters</c>.</summary>
    public bool NamesParameters => namesParameters;

    /// <summary>
    /// What a parameter's name starts with in this dialect's prepared statements (the hot ones, see
    /// <c>namesParameters</c>), put before each name they bind: a driver given the name as the statement spells it
    /// finds the parameter at the first try.
    /// </summary>
    public virtual string ParameterPrefix => "";

    /// <summary>See the constructor's <c>bindsArrays</c>.</summary>
    public bool BindsArrays => bindsArrays;

    public abstract object IdValue(Guid id);

    public abstract Guid ReadId(object value);

    public abstract object TimeValue(DateTimeOffset time);

    public abstract DateTimeOffset ReadTime(object value);

    /// <summary>
    /// Values of one column type (<see cref="DbType.String"/>, <see cref="DbType.Binary"/>, <see cref="DbType.Int32"/>,
    /// <see cref="IdType"/> or <see cref="TimeType"/>), each null
    /// or in this dialect's form, as the typed array its driver binds; only where <see cref="BindsArrays"/>.
    /// </summary>
    public abstract Array ArrayOf(DbType type, IReadOnlyList<object?> values);

    public abstract bool IsForeignKeyViolation(DbException exception);

    /// <summary>Whether a statement failed because a primary key or unique index already holds the value.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// Whether a held-back idempotency record failed because its key already has one: a request sent again, not two
    /// instances' picks meeting. Only where records are held back.
    /// </summary>
    public virtual bool IsTakenKeyRecord(DbException exception) => false;

    /// <summary>Whether a statement failed because a check sent with the commit found otherwise (<see cref="SqlText.HoldSubnet"/>, <see cref="SqlText.ExpectLogEnd"/>).</summary>
    public virtual bool IsRefutedCheck(DbException exception) => false;
}
