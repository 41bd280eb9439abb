namespace Ipam.Api.Hosting;

/// <summary>Creates or migrates the schema before the server starts listening.</summary>
internal sealed class StoreMigrationService(IIpamStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
