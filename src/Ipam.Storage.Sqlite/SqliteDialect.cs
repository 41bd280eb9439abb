using System.Data;
using System.Data.Common;

namespace Ipam.Storage.Sqlite;

/// <summary>SQLite's statements and column forms (ids and times as text, see <see cref="SqliteValues"/>).</summary>
internal sealed class SqliteDialect() : SqlDialect(SqliteSql.Text, DbType.String, DbType.String, namesParameters: true, bindsArrays: false)
{
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static SqliteDialect Instance { get; } = new();

    /// <remarks>
    /// Microsoft.Data.Sqlite looks a name up as given, and if that fails with each of <c>@</c>, <c>$</c> and
    /// <c>:</c> in front: four lookups, each converting the name to UTF-8, for every parameter of every statement
    /// bound without its prefix. The prepared statements here spell their parameters <c>$name</c>.
    /// </remarks>
    public override string ParameterPrefix => "$";

    public override Array ArrayOf(DbType type, IReadOnlyList<object?> values) =>
        throw new NotSupportedException("SQLite binds no arrays: a statement runs once per row.");

    public override object IdValue(Guid id) => SqliteValues.Id(id);

    public override Guid ReadId(object value) => SqliteValues.Id((string)value);

    public override object TimeValue(DateTimeOffset time) => SqliteValues.Time(time);

    public override DateTimeOffset ReadTime(object value) => SqliteValues.Time((string)value);

    public override bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintForeignKey };

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };
}
