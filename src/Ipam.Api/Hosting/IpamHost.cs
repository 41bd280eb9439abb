using System.Text.Json;
using System.Text.Json.Serialization;
using Ipam.Allocations;
using Ipam.Api.Allocations;
using Ipam.Api.Health;
using Ipam.Api.SubnetPools;
using Ipam.Api.Problems;
using Ipam.Api.Scopes;
using Ipam.Api.Subnets;
using Ipam.Api.Web;
using Ipam.Errors;
using Ipam.SubnetPools;
using Ipam.Scopes;
using Ipam.Storage;
using Ipam.Storage.Postgres;
using Ipam.Storage.Sqlite;
using Ipam.Subnets;
using Scalar.AspNetCore;

namespace Ipam.Api.Hosting;

/// <summary>Builds the Ipam web application; used by <c>ipam serve</c>, the tests and the benchmarks.</summary>
public static class IpamHost
{
    public static WebApplication Build(IpamHostOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddIpam(options);
        builder.Services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));

        // Unreadable bodies and unbindable parameters reach IpamExceptionHandler as invalid-request problems
        // instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Framework answers (unknown route, wrong method, wrong content type) get a code like every other error.
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                var request = context.HttpContext.Request;
                context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => $"There is no endpoint {request.Path}; the API is described in /openapi/v1.json.",
                    StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
                    StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                    _ => context.ProblemDetails.Title,
                };
                context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => "not-found",
                    StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
                    StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
                    var status => $"http-{status}",
                };
            }
        });
        builder.Services.AddExceptionHandler<IpamExceptionHandler>();
        builder.Services.AddOpenApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapHealth();
        app.MapSubnets();
        app.MapAllocations();
        app.MapAddressScopes();
        app.MapSubnetPools();
        app.MapWebConsole();
        return app;
    }

    /// <summary>Registers the domain services and the store named by <see cref="IpamHostOptions.Database"/>.</summary>
    public static IServiceCollection AddIpam(this IServiceCollection services, IpamHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Time);
        services.AddSingleton(options.Random);
        services.AddSingleton<IIpamStore>(_ => CreateStore(options));
        services.AddSingleton<FreeSpaceCache>();
        services.AddSingleton<SubnetService>();
        services.AddSingleton<AllocationService>();
        services.AddSingleton<PrefixIndexCache>();
        services.AddSingleton<PrefixAllocator>();
        services.AddSingleton<SubnetPoolService>();
        services.AddSingleton<AddressScopeService>();
        services.AddHostedService<StoreMigrationService>();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // The web defaults read numbers from strings ("count": "5"); the contract wants JSON types respected.
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new UtcTimeConverter());
    }

    private static IIpamStore CreateStore(IpamHostOptions options) => options.Database.Kind switch
    {
        DatabaseLocation.Sqlite => new SqliteStore(new SqliteStoreOptions { Path = options.Database.Target, SynchronousFull = options.DurableCommits }),
        DatabaseLocation.PostgreSql => PostgresUrl.TryParse(options.Database.Target, out var connectionString, out var error)
            ? new PostgresStore(connectionString)
            : throw new StoreUnavailableException(error),
        _ => throw new StoreUnavailableException($"Unknown database kind '{options.Database.Kind}'."),
    };
}
