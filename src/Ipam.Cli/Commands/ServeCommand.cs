using System.CommandLine;
using Ipam.Api.Hosting;
using Ipam.Cli.Output;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam serve</c>: runs the HTTP API in the foreground.</summary>
internal static class ServeCommand
{
    public static Command Create(Terminal terminal)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen; several URLs separated by ';'. Port 0 picks a free port.",
            HelpName = "URL",
            DefaultValueFactory = _ => IpamHostOptions.DefaultUrls,
        };
        var database = DatabaseOption(withDefault: true);
        var allowedHosts = new Option<string>("--allowed-hosts")
        {
            Description = "Host header values the server answers to, separated by ';' (e.g. 'ipam.example.com;*.corp.example'; '*' for any); " +
                "other hosts get 400. Default: only localhost, 127.0.0.1 and [::1] when every --urls address is loopback " +
                "(so that no web page can reach the server through DNS rebinding), otherwise any host. " +
                "The AllowedHosts setting (e.g. the environment variable) is used when this is not given.",
            HelpName = "HOSTS",
        };
        var auth = new Option<string>("--auth")
        {
            Description = "Require an API token on every /v1 request (on), or let requests without one act as an anonymous admin (off; " +
                "a token presented is still checked). Default: off when every --urls address is loopback, otherwise on. " +
                "Make the first admin token with 'ipam token create --database ... --role admin'.",
            HelpName = "on|off",
        };
        auth.AcceptOnlyFromAmong("on", "off");
        var rateLimit = new Option<int?>("--rate-limit")
        {
            Description = $"Requests per second allowed per token (and per remote address without one); 0 turns the limit off. " +
                $"Default: {IpamHostOptions.DefaultRateLimit} with authentication on, off without. Over it: 429 with Retry-After.",
            HelpName = "N",
            CustomParser = ValueParsers.IntegerFrom(0, 1_000_000),
        };
        var historyDays = HistoryDaysOption();
        var requestTimeout = new Option<double>("--request-timeout")
        {
            Description = "Seconds a request may take in all, queueing and retries included; past that it is answered 503.",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => IpamHostOptions.DefaultRequestTimeout.TotalSeconds,
        };
        requestTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 3600))
            {
                result.AddError("--request-timeout must be a number of seconds above 0 and at most 3600.");
            }
        });

        var command = new Command("serve", "Run the Ipam server in the foreground until Ctrl+C.")
        {
            urls, database, allowedHosts, auth, rateLimit, historyDays, requestTimeout,
        }.WithExamples(
            "ipam serve",
            "ipam serve --urls http://0.0.0.0:5080 --auth on --rate-limit 200",
            "ipam serve --urls http://0.0.0.0:5080 --allowed-hosts 'ipam.example.com;ipam'",
            "ipam serve --urls http://0.0.0.0:8080 --database sqlite:/var/lib/ipam/ipam.db",
            "ipam serve --history-days 90",
            "ipam serve --database postgresql://ipam:secret@db:5432/ipam");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DatabaseLocation.TryParse(parseResult.GetValue(database), out var location, out var error))
            {
                throw new UsageException(error);
            }

            var options = new IpamHostOptions
            {
                Urls = parseResult.GetRequiredValue(urls),
                Database = location,
                AllowedHosts = parseResult.GetValue(allowedHosts)?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                HistoryRetention = TimeSpan.FromDays(parseResult.GetValue(historyDays) ?? IpamHostOptions.DefaultHistoryDays),
                RequestTimeout = TimeSpan.FromSeconds(parseResult.GetValue(requestTimeout)),
                Authentication = parseResult.GetValue(auth) is { } switched ? switched == "on" : null,
                RateLimit = parseResult.GetValue(rateLimit),
            };
            await RunAsync(options, terminal, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>--database</c>, validated as it is parsed; <paramref name="withDefault"/>: the SQLite file in the working directory when not given.</summary>
    internal static Option<string> DatabaseOption(bool withDefault)
    {
        var database = new Option<string>("--database")
        {
            Description = "sqlite:PATH (created if missing) or postgresql://user:pass@host:port/dbname. The schema is created or migrated on start.",
            HelpName = "sqlite:PATH|postgresql://...",
        };
        if (withDefault)
        {
            database.DefaultValueFactory = _ => "sqlite:" + DatabaseLocation.Default.Target;
        }

        database.Validators.Add(result =>
        {
            if (!DatabaseLocation.TryParse(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError(error);
            }
        });
        return database;
    }

    /// <summary><c>--history-days</c>: how long the change log keeps a change.</summary>
    private static Option<int?> HistoryDaysOption() => new("--history-days")
    {
        Description = "How many days (1 to 36500) the change log (history and events) keeps a change; older changes are pruned in the background, hourly and at start.",
        HelpName = "DAYS",
        DefaultValueFactory = _ => IpamHostOptions.DefaultHistoryDays,
        CustomParser = ValueParsers.IntegerFrom(1, 36_500),
    };

    private static async Task RunAsync(IpamHostOptions options, Terminal terminal, CancellationToken cancellationToken)
    {
        await using var app = IpamHost.Build(options);
        try
        {
            // Opening the store first reports a database that cannot be opened (a SQLite file another
            // process serves) in the one line below, before the host would log it with a stack trace.
            _ = app.Services.GetRequiredService<IIpamStore>();
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CliException($"cannot start Ipam on {options.Urls} with {Describe(options.Database)}: {e.Message}", ExitCodes.Failed, e);
        }

        terminal.WriteLine($"Ipam listening on {string.Join(", ", app.Urls)} (database: {Describe(options.Database)}); {DescribeAuthentication(options)}; press Ctrl+C to stop.");
        await terminal.Out.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>Whether tokens are required, and why, for the start-up line.</summary>
    internal static string DescribeAuthentication(IpamHostOptions options)
    {
        var limit = options.RequestsPerSecond > 0 ? $", at most {options.RequestsPerSecond} requests/s per caller" : "";
        return (options.RequiresTokens, options.Authentication) switch
        {
            (true, null) => $"authentication on, tokens required: not every address is loopback{limit}",
            (true, _) => $"authentication on, tokens required{limit}",
            (false, null) => $"authentication off: every address is loopback, use --auth on to require tokens{limit}",
            (false, _) => $"authentication off (--auth off): anyone who can connect is admin{limit}",
        };
    }

    /// <summary>The database for people to read, without a password.</summary>
    internal static string Describe(DatabaseLocation database)
    {
        if (database.Kind == DatabaseLocation.Sqlite)
        {
            return $"sqlite:{Path.GetFullPath(database.Target)}";
        }

        if (Uri.TryCreate(database.Target, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            var user = uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)];
            return new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
        }

        return database.Target;
    }
}
