using Ipam;
using Ipam.Storage.Sql;
using Ipam.Storage.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>Stores Ipam's data in a SQLite file, with <see cref="SqliteStoreOptions"/> bound from <paramref name="configuration"/>.</summary>
    public static IIpamBuilder AddSqliteStore(this IIpamBuilder ipam, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return StoreRegistration.Add<SqliteStoreOptions, SqliteStoreOptionsValidator>(
            ipam, options => options.Bind(configuration), options => new SqliteStore(options));
    }

    /// <summary>Stores Ipam's data in a SQLite file, with <see cref="SqliteStoreOptions"/> set by <paramref name="configure"/>.</summary>
    public static IIpamBuilder AddSqliteStore(this IIpamBuilder ipam, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return StoreRegistration.Add<SqliteStoreOptions, SqliteStoreOptionsValidator>(
            ipam, options => options.Configure(configure), options => new SqliteStore(options));
    }
}
