using Ipam;
using Ipam.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Registration = Ipam.Storage.Sql.StoreRegistration<Ipam.Storage.Sqlite.SqliteStoreOptions, Ipam.Storage.Sqlite.SqliteStoreOptionsValidator>;

namespace Microsoft.Extensions.DependencyInjection;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>Keeps Ipam's data in a SQLite file, with <see cref="SqliteStoreOptions"/> bound from <paramref name="configuration"/>.</summary>
    public static IIpamBuilder AddSqliteStore(this IIpamBuilder ipam, IConfiguration configuration) =>
        Registration.Add(ipam, configuration, options => new SqliteStore(options));

    /// <summary>Keeps Ipam's data in a SQLite file, with <see cref="SqliteStoreOptions"/> set by <paramref name="configure"/>.</summary>
    public static IIpamBuilder AddSqliteStore(this IIpamBuilder ipam, Action<SqliteStoreOptions> configure) =>
        Registration.Add(ipam, configure, options => new SqliteStore(options));
}
