using System.Text.Json.Serialization;
using Ipam.Api.Allocations;
using Ipam.Api.Backup;
using Ipam.Api.Events;
using Ipam.Api.Health;
using Ipam.Api.History;
using Ipam.Api.Import;
using Ipam.Api.Observability;
using Ipam.Api.SubnetPools;
using Ipam.Api.Problems;
using Ipam.Api.Scopes;
using Ipam.Api.Subnets;
using Ipam.Api.Tokens;
using Ipam.Caching;
using Ipam.Api.Web;
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
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes;
            RequestHeadLimits.RaiseKestrelLimits(kestrel.Limits);
        });
        // The web host filters Host headers from its first middleware on; these options say which are allowed.
        builder.Services.AddHostFiltering(filtering =>
        {
            filtering.AllowedHosts = [.. AllowedHosts.For(options.AllowedHosts, builder.Configuration[AllowedHosts.ConfigurationKey], options.Urls)];

            // An empty 400 instead of the middleware's HTML, so that the status code pages answer with a problem.
            filtering.IncludeFailureMessage = false;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter(typeof(Authentication.BearerTokenHandler).FullName, LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new IpamCacheOptions { FreeSpaceBytes = options.CacheBytes });
        builder.Services.AddIpam().AddStore(options);
        builder.Services.AddHostedService<StoreMigrationService>();
        builder.Services.AddHostedService<ClockAlignment>();
        builder.Services.AddHostedService<ExpirySweeper>();
        builder.Services.AddHostedService<ChangeLogPruner>();
        builder.Services.AddHostedService<UsageFolder>();
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
                    StatusCodes.Status400BadRequest => $"This server does not answer to the host name '{request.Host.Host}'; " +
                        "its operator can allow it with 'ipam serve --allowed-hosts'.",
                    _ => context.ProblemDetails.Title,
                };
                context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
                {
                    StatusCodes.Status404NotFound => "not-found",
                    StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
                    StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",

                    // Every other 400 is thrown to IpamExceptionHandler; only host filtering answers an empty one.
                    StatusCodes.Status400BadRequest => "host-not-allowed",
                    var status => $"http-{status}",
                };
            }

            // The framework names the type of the common statuses only.
            context.ProblemDetails.Type ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
                StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
                StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
                StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
                StatusCodes.Status501NotImplemented => "https://tools.ietf.org/html/rfc9110#section-15.6.2",
                _ => null,
            };

            // The database is away (a failover, a restart): a client that backs off for a second usually finds it back.
            if (context.ProblemDetails.Status == StatusCodes.Status503ServiceUnavailable && !context.HttpContext.Response.HasStarted
                && !context.HttpContext.Response.Headers.ContainsKey(HeaderNames.RetryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
            }

            RequestOutcome.NoteProblem(context.HttpContext, context.ProblemDetails);
        });
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        builder.Services.AddExceptionHandler<IpamExceptionHandler>();
        builder.Services.AddSingleton<StoreFailureTraces>();
        builder.Services.AddSingleton<AuthProblems>();
        builder.Services.AddSingleton<Health.StorePing>();
        builder.Services.AddSingleton<Events.EventCursorKeys>();
        builder.Services.AddSingleton<Events.LogEndWatch>();
        builder.Services.AddSingleton(new Events.EventFollowers(options.MaxEventFollowers));
        builder.Services.AddBearerTokens(options.RequiresTokens);
        if (options.RequestsPerSecond > 0)
        {
            builder.Services.AddRequestRateLimit(options.RequestsPerSecond);
        }

        // First of the startup filters, so that it wraps the host filtering the web host put at the front.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, OuterPipeline>());
        builder.Services.AddRequestTimeouts(timeouts =>
        {
            timeouts.DefaultPolicy = RequestDeadline.Policy(options.RequestTimeout);
            timeouts.AddPolicy(RequestDeadline.WholeDatabase, RequestDeadline.Policy(RequestDeadline.WholeDatabaseTimeout(options.RequestTimeout)));
        });
        builder.Services.AddOpenApi(openApi => openApi.LeaveJsonElementsOptional().DescribeProblems().DescribeGetOnly());
        builder.AddIpamTelemetry(options);
        configure?.Invoke(builder);
        DatabaseAlignedClock.Register(builder.Services);

        var app = builder.Build();
        app.UseRequestRoute();

        // Before anything reads the body or acts for the caller: a web page of another origin changes nothing.
        app.UseCrossOriginProtection();
        app.UseRequestBodyLimit();
        app.UseUncompressedBodies();
        app.UseRequestDeadlines();
        app.UseAuthentication();
        if (options.RequestsPerSecond > 0)
        {
            // After authentication, which names the token a request counts against.
            app.UseRateLimiter();
        }

        app.UseAuthorization();
        app.UseSingleQueryValues();
        app.UseDecodedRouteSlashes();

        // Every endpoint is mapped under this group, whose conventions answer HEAD wherever GET is answered and refuse
        // a JSON null for an optional body.
        var routes = app.MapGroup("").AnswerHeadAsGet().RefuseNullBodies();

        // Every other endpoint needs a caller (the fallback policy); these stay open for probes, browsers and tools.
        var open = routes.MapGroup("").AllowAnonymous();
        open.MapOpenApi();
        // The reference page loads nothing from outside this server and reports nothing to anyone.
        open.MapScalarApiReference("/docs", reference => reference.DisableDefaultFonts().DisableTelemetry());
        open.MapHealth();
        open.MapMetrics();
        open.MapWebConsole();
        routes.MapSubnets();
        routes.MapSubnetMap();
        routes.MapGroup("").AddEndpointFilterFactory(AllocationMetrics.Filter).MapAllocations();
        routes.MapAddressScopes();
        routes.MapSubnetPools();
        routes.MapHistory();
        routes.MapEvents();
        routes.MapTokens();
        routes.MapImport();
        routes.MapUsageCheck();
        routes.MapBackup();
        return app;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // A member named twice, or in another case ("CIDR"), would be read one way here and another way by a proxy
        // or a validator in front: refused, like any member the contract does not name.
        json.PropertyNameCaseInsensitive = false;
        json.AllowDuplicateProperties = false;

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
                sqlite.OtherProcessesMayRead = options.SqliteOtherProcessesMayRead;
            }),

            // A bad URL fails the host's start (when the options are first read), as an unreachable database does.
            DatabaseLocation.PostgreSql => ipam.AddPostgresStore(postgres => postgres.ConnectionString =
                PostgresUrl.TryParse(target, out var connectionString, out var error) ? connectionString : throw new StoreUnavailableException(error)),
            _ => throw new StoreUnavailableException($"Unknown database kind '{kind}'."),
        };
    }
}
