using System.CommandLine;
using Ipam.Api.Hosting;
using Ipam.Cli.Output;
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
        var database = new Option<string>("--database")
        {
            Description = "sqlite:PATH (created if missing) or postgresql://user:pass@host:port/dbname. The schema is created or migrated on start.",
            HelpName = "sqlite:PATH|postgresql://...",
            DefaultValueFactory = _ => "sqlite:" + DatabaseLocation.Default.Target,
        };
        database.Validators.Add(result =>
        {
            if (!DatabaseLocation.TryParse(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError(error);
            }
        });

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
            urls, database, requestTimeout,
        }.WithExamples(
            "ipam serve",
            "ipam serve --urls http://0.0.0.0:8080 --database sqlite:/var/lib/ipam/ipam.db",
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
                RequestTimeout = TimeSpan.FromSeconds(parseResult.GetValue(requestTimeout)),
            };
            await RunAsync(options, terminal, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task RunAsync(IpamHostOptions options, Terminal terminal, CancellationToken cancellationToken)
    {
        await using var app = IpamHost.Build(options);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CliException($"cannot start Ipam on {options.Urls} with {Describe(options.Database)}: {e.Message}", ExitCodes.Failed, e);
        }

        terminal.WriteLine($"Ipam listening on {string.Join(", ", app.Urls)} (database: {Describe(options.Database)}); press Ctrl+C to stop.");
        await terminal.Out.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
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
