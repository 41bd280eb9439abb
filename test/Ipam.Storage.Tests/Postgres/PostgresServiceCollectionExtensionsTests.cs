using Ipam.Addressing;
using Ipam.Scopes;
using Ipam.Storage.Postgres;
using Ipam.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ipam.Storage.Tests.Postgres;

public sealed class PostgresServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddPostgresStore_ConfigurationSection_OptionsReachTheStoreAndTheServicesUseIt()
    {
        var cluster = await SharedPostgres.GetAsync();
        var connectionString = cluster.ConnectionStringFor(await cluster.CreateDatabaseUrlAsync());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ipam:Postgres:ConnectionString"] = connectionString,
            ["Ipam:Postgres:MaxConcurrentBatches"] = "3",
            ["Ipam:Postgres:LockWait"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new StoppedClock());
        services.AddIpam().AddPostgresStore(configuration.GetSection("Ipam:Postgres"));

        await using var provider = services.BuildServiceProvider();
        var store = Assert.IsType<PostgresStore>(provider.GetRequiredService<IIpamStore>());
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var scopes = provider.GetRequiredService<AddressScopeService>();
        var scope = await scopes.CreateAsync(new CreateAddressScopeCommand { Name = "lab", Version = IpVersion.V6 }, TestContext.Current.CancellationToken);

        Assert.Equal(3, provider.GetRequiredService<IOptions<PostgresStoreOptions>>().Value.MaxConcurrentBatches);
        Assert.Equal(TimeSpan.FromSeconds(2), store.Writer.LockWait);
        Assert.Equal(connectionString, provider.GetRequiredService<IOptions<PostgresStoreOptions>>().Value.ConnectionString);
        Assert.True(await store.PingAsync(TestContext.Current.CancellationToken));
        Assert.Equal(StoppedClock.Now, scope.CreatedAt);
        Assert.Equal(scope, await scopes.GetAsync(scope.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddPostgresStore_NoConnectionString_FailsNamingTheMissingSetting()
    {
        var services = new ServiceCollection();
        services.AddIpam().AddPostgresStore(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IIpamStore>);

        Assert.Contains("PostgresStoreOptions.ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hots=db;Database=ipam", "Hots")]
    [InlineData("Host=db;Port=not-a-port", "Port")]
    [InlineData("Database=ipam;Username=ipam", "no Host")]
    public async Task AddPostgresStore_BadConnectionString_FailsSayingWhyWithoutEchoingIt(string connectionString, string reason)
    {
        var services = new ServiceCollection();
        services.AddIpam().AddPostgresStore(options => options.ConnectionString = connectionString + ";Password=hunter2");
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IIpamStore>);

        Assert.Contains("PostgresStoreOptions.ConnectionString is not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00", "must be positive")]
    [InlineData("-00:00:01", "must be positive")]
    [InlineData("30.00:00:00", "PostgreSQL's longest lock_timeout")]
    public async Task AddPostgresStore_UnusableLockWait_FailsNamingTheSetting(string lockWait, string reason)
    {
        var services = new ServiceCollection();
        services.AddIpam().AddPostgresStore(options =>
        {
            options.ConnectionString = "Host=db;Database=ipam";
            options.LockWait = TimeSpan.Parse(lockWait, System.Globalization.CultureInfo.InvariantCulture);
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IIpamStore>);

        Assert.Contains("PostgresStoreOptions.LockWait", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
