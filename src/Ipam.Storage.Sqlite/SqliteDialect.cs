using System.Data;
using System.Data.Common;

namespace Ipam.Storage.Sqlite;

/// <summary>SQLite's statements and column forms (ids and times as text, see <see cref="SqliteValues"/>).</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static SqliteDialect Instance { get; } = new();

    public SqlText Sql => SqliteSql.Text;

    public DbType IdType => DbType.String;

    public DbType TimeType => DbType.String;

    public bool NamesParameters => true;

    public bool BindsArrays => false;

    public Array ArrayOf(DbType type, IReadOnlyList<object?> values) =>
        throw new NotSupportedException("SQLite binds no arrays: a statement runs once per row.");

    public object IdValue(Guid id) => SqliteValues.Id(id);

    public Guid ReadId(object value) => SqliteValues.Id((string)value);

    public object TimeValue(DateTimeOffset time) => SqliteValues.Time(time);

    public DateTimeOffset ReadTime(object value) => SqliteValues.Time((string)value);

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintForeignKey };

    public bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };
}
