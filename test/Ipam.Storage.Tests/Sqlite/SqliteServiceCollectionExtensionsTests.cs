using Ipam.Changes;
using Ipam.Addressing;
using Ipam.Scopes;
using Ipam.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ipam.Storage.Tests.Sqlite;

public sealed class SqliteServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ipam-sqlite-di-").FullName;

    [Fact]
    public async Task AddSqliteStore_ConfigurationSection_OptionsReachTheStoreAndTheServicesUseIt()
    {
        var path = Path.Combine(_directory, "from-config.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ipam:Sqlite:Path"] = path,
            ["Ipam:Sqlite:MaxBatchSize"] = "7",
            ["Ipam:Sqlite:SynchronousFull"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new StoppedClock());
        services.AddIpam().AddSqliteStore(configuration.GetSection("Ipam:Sqlite"));

        await using var provider = services.BuildServiceProvider();
        var store = Assert.IsType<SqliteStore>(provider.GetRequiredService<IIpamStore>());
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var scope = await provider.GetRequiredService<AddressScopeService>()
            .CreateAsync(new CreateAddressScopeCommand { Name = "lab", Version = IpVersion.V4 }, TestContext.Current.CancellationToken);

        Assert.Equal(path, store.Path);
        Assert.Equal(7, provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.MaxBatchSize);
        Assert.False(provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.SynchronousFull);
        Assert.True(File.Exists(path));
        Assert.Equal(StoppedClock.Now, scope.CreatedAt);
        Assert.Equal(scope, await provider.GetRequiredService<AddressScopeService>().GetAsync(scope.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddSqliteStore_Action_TheContainerCreatesAndDisposesTheStore()
    {
        var path = Path.Combine(_directory, "from-action.db");
        var services = new ServiceCollection();
        services.AddIpam().AddSqliteStore(options => options.Path = path);
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IIpamStore>();
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var command = new CreateAddressScopeCommand { Name = "lab", Version = IpVersion.V4 };
        await provider.GetRequiredService<AddressScopeService>().CreateAsync(command, TestContext.Current.CancellationToken);

        await provider.DisposeAsync();

        Assert.Equal(path, Assert.IsType<SqliteStore>(store).Path);
        await Assert.ThrowsAnyAsync<Exception>(() => new AddressScopeService(store, new ChangeLog(new AnonymousCaller(), TimeProvider.System), TimeProvider.System).CreateAsync(command, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AddSqliteStore_StoreRegisteredBefore_KeepsIt()
    {
        var path = Path.Combine(_directory, "first.db");
        var services = new ServiceCollection();

        services.AddIpam().AddSqliteStore(options => options.Path = path).AddSqliteStore(options => options.Path = "second.db");

        Assert.Single(services, d => d.ServiceType == typeof(IIpamStore));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task AddSqliteStore_NoPath_FailsNamingTheMissingPath(string? path)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Path"] = path }).Build();
        var services = new ServiceCollection();
        services.AddIpam().AddSqliteStore(configuration);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IIpamStore>);

        Assert.Contains("SqliteStoreOptions.Path is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSqliteStore_SeveralBadValues_ReportsEachWhenTheHostValidatesAtStart()
    {
        var services = new ServiceCollection();
        services.AddIpam().AddSqliteStore(options =>
        {
            options.Path = Path.Combine(_directory, "bad.db");
            options.MaxBatchSize = 0;
            options.CheckpointInterval = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);

        var failures = error.Failures.ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.Contains("MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("CheckpointInterval", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_directory, "bad.db")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
