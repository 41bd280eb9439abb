using System.Text.Json;
using System.Text.Json.Serialization;
using Ipam.Api.Allocations;
using Ipam.Api.Events;
using Ipam.Api.Health;
using Ipam.Api.SubnetPools;
using Ipam.Api.Problems;
using Ipam.Api.Scopes;
using Ipam.Api.Subnets;
using Ipam.Api.Web;
using Ipam.Errors;
using Ipam.Storage.Postgres;
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
        builder.Services.AddSingleton(options);
        builder.Services.AddIpam().AddStore(options);
        builder.Services.AddHostedService<StoreMigrationService>();
        builder.Services.AddHostedService<ExpirySweeper>();
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
        app.MapEvents();
        app.MapWebConsole();
        return app;
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

    /// <summary>The store named by <see cref="IpamHostOptions.Database"/>.</summary>
    private static IIpamBuilder AddStore(this IIpamBuilder ipam, IpamHostOptions options)
    {
        var (kind, target) = options.Database;
        return kind switch
        {
            DatabaseLocation.Sqlite => ipam.AddSqliteStore(sqlite =>
            {
                sqlite.Path = target;
                sqlite.SynchronousFull = options.DurableCommits;
            }),

            // A bad URL fails the host's start (when the options are first read), as an unreachable database does.
            DatabaseLocation.PostgreSql => ipam.AddPostgresStore(postgres => postgres.ConnectionString =
                PostgresUrl.TryParse(target, out var connectionString, out var error) ? connectionString : throw new StoreUnavailableException(error)),
            _ => throw new StoreUnavailableException($"Unknown database kind '{kind}'."),
        };
    }
}
