using Ipam;
using Ipam.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Registration = Ipam.Storage.Sql.StoreRegistration<Ipam.Storage.Postgres.PostgresStoreOptions, Ipam.Storage.Postgres.PostgresStoreOptionsValidator>;

namespace Microsoft.Extensions.DependencyInjection;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>Keeps Ipam's data in PostgreSQL, with <see cref="PostgresStoreOptions"/> bound from <paramref name="configuration"/>.</summary>
    public static IIpamBuilder AddPostgresStore(this IIpamBuilder ipam, IConfiguration configuration) =>
        Registration.Add(ipam, configuration, options => new PostgresStore(options));

    /// <summary>Keeps Ipam's data in PostgreSQL, with <see cref="PostgresStoreOptions"/> set by <paramref name="configure"/>.</summary>
    public static IIpamBuilder AddPostgresStore(this IIpamBuilder ipam, Action<PostgresStoreOptions> configure) =>
        Registration.Add(ipam, configure, options => new PostgresStore(options));
}
