namespace Ipam.Api.Hosting;

/// <summary>
/// The service's clock set to the database server's: every instance on one PostgreSQL database stamps changes and
/// judges expiry by the same time, whatever its own machine's clock says. <see cref="ClockAlignment"/> measures
/// the offset; until it has, and on a database without a clock of its own, the offset is zero.
/// </summary>
internal sealed class DatabaseAlignedClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Replaces the <see cref="TimeProvider"/> registered last (the system's, or one a test put there) with itself
    /// wrapped around it, so that every service reads the aligned time.
    /// </summary>
    public static void Register(IServiceCollection services)
    {
        var registered = services.Where(d => d.ServiceType == typeof(TimeProvider)).ToList();
        var last = registered.Count > 0 ? registered[^1] : ServiceDescriptor.Singleton(TimeProvider.System);
        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
        }

        services.AddSingleton(provider => new DatabaseAlignedClock(Resolve(last, provider)));
        services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<DatabaseAlignedClock>());
    }

    private static TimeProvider Resolve(ServiceDescriptor descriptor, IServiceProvider provider) => descriptor switch
    {
        { ImplementationInstance: TimeProvider instance } => instance,
        { ImplementationFactory: { } factory } => (TimeProvider)factory(provider),
        { ImplementationType: { } type } => (TimeProvider)ActivatorUtilities.CreateInstance(provider, type),
        _ => TimeProvider.System,
    };
}
