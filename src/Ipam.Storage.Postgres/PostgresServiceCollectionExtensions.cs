using Ipam;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sql;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>Stores Ipam's data in PostgreSQL, with <see cref="PostgresStoreOptions"/> bound from <paramref name="configuration"/>.</summary>
    public static IIpamBuilder AddPostgresStore(this IIpamBuilder ipam, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return StoreRegistration.Add<PostgresStoreOptions, PostgresStoreOptionsValidator>(
            ipam, options => options.Bind(configuration), options => new PostgresStore(options));
    }

    /// <summary>Stores Ipam's data in PostgreSQL, with <see cref="PostgresStoreOptions"/> set by <paramref name="configure"/>.</summary>
    public static IIpamBuilder AddPostgresStore(this IIpamBuilder ipam, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return StoreRegistration.Add<PostgresStoreOptions, PostgresStoreOptionsValidator>(
            ipam, options => options.Configure(configure), options => new PostgresStore(options));
    }
}
