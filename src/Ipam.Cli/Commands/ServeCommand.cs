using System.Text.RegularExpressions;
using Ipam.Api.Hosting;
using Ipam.Api.Observability;
using Ipam.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ipam.Cli.Commands;

/// <summary><c>ipam serve</c>: runs the HTTP API in the foreground.</summary>
internal static partial class ServeCommand
{
    public static Command Create(Terminal terminal)
    {
        var options = new ServeOptions();
        var command = new Command("serve", "Run the Ipam server in the foreground until Ctrl+C. Every option may also be set " +
            "in the environment (IPAM_ and its name in capitals: IPAM_DATABASE, IPAM_HISTORY_DAYS, ...) or in a --config file.")
            .WithExamples(
            "ipam serve",
            "ipam serve --urls http://0.0.0.0:5080 --auth on --rate-limit 200",
            "ipam serve --urls http://0.0.0.0:5080 --allowed-hosts 'ipam.example.com;ipam'",
            "ipam serve --urls http://0.0.0.0:8080 --database sqlite:/var/lib/ipam/ipam.db",
            "ipam serve --history-days 90 --log-format json",
            "ipam serve --database postgresql://ipam:secret@db:5432/ipam",
            "IPAM_DATABASE=sqlite:/var/lib/ipam/ipam.db ipam serve --config /etc/ipam/ipam.json --show-settings");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = ServeSettings.Resolve(options, command, parseResult, Environment.GetEnvironmentVariable);
            if (parseResult.GetValue(options.ShowSettings))
            {
                foreach (var line in settings.Describe(options, Environment.GetEnvironmentVariable))
                {
                    terminal.WriteLine(line);
                }

                return ExitCodes.Ok;
            }

            await RunAsync(settings.ToHostOptions(options), terminal, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>--database</c>, validated as it is parsed; <paramref name="withDefault"/>: the SQLite file in the working directory when not given.</summary>
    internal static Option<string> DatabaseOption(bool withDefault)
    {
        var database = CommonOptions.Value("--database", "sqlite:PATH|postgresql://...",
            "sqlite:PATH (created if missing) or postgresql://user:pass@host:port/dbname. The schema is created or migrated on start.");
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

    private static async Task RunAsync(IpamHostOptions options, Terminal terminal, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Builder.WebApplication? built = null;
        var startLog = new HostStartLog();
        var newFile = NewSqliteFile.Of(options.Database);
        try
        {
            // Building checks the URLs; opening the store first reports a database that cannot be opened (a SQLite
            // file another process serves) in the one line below, before the host would log it with a stack trace.
            built = IpamHost.Build(options, builder => builder.Logging.AddFilter(HostStartLog.HostCategory, startLog.Allows));
            _ = built.Services.GetRequiredService<IIpamStore>();
            await built.StartAsync(cancellationToken);
            startLog.MarkStarted();
        }
        catch (Exception e)
        {
            if (built is not null)
            {
                await built.DisposeAsync();
            }

            newFile?.Remove();
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new CliException($"cannot start Ipam on {options.Urls} with {Describe(options.Database)}: {e.Message}", ExitCodes.Failed, e);
        }

        await using var app = built;

        var started = $"Ipam listening on {string.Join(", ", app.Urls)} (database: {Describe(options.Database)}); {DescribeAuthentication(options)}; press Ctrl+C to stop.";
        if (options.LogFormat == LogFormat.Json)
        {
            // Stdout holds nothing but JSON lines then.
            LogStarted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServeCommand)), started);
        }
        else
        {
            terminal.WriteLine(started);
            await terminal.Out.FlushAsync(cancellationToken);
        }

        await app.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>
    /// The host logs a failure to start (a port in use) with its stack trace before it throws; the command reports it
    /// in one line instead. Once started, the host's log (a background service that failed) goes out as usual.
    /// </summary>
    private sealed class HostStartLog
    {
        /// <summary>The one category held back: a rule for every category would replace the default level (Information) too.</summary>
        public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

        private volatile bool started;

        public void MarkStarted() => started = true;

        public bool Allows(LogLevel level) => started && level >= LogLevel.Information;
    }

    /// <summary>
    /// A SQLite file that does not exist yet: the store creates and migrates it before the host binds its URLs, so a
    /// start that then fails (a port in use) removes it again rather than leave an empty database behind.
    /// </summary>
    private sealed class NewSqliteFile(string path)
    {
        public static NewSqliteFile? Of(DatabaseLocation database)
        {
            if (database.Kind != DatabaseLocation.Sqlite)
            {
                return null;
            }

            var path = Path.GetFullPath(database.Target);
            return File.Exists(path) ? null : new NewSqliteFile(path);
        }

        public void Remove()
        {
            foreach (var suffix in (string[])["", "-wal", "-shm", "-journal", ".lock"])
            {
                try
                {
                    File.Delete(path + suffix);
                }
                catch (IOException)
                {
                    // Best effort: the start's own error is what the operator needs to see.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
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

        var target = database.Target;
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            var user = uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)];
            target = new UriBuilder(uri) { UserName = user, Password = "***" }.Uri.ToString();
        }

        // A password may also come as a connection option: ?password=... or Password=...; in keyword form, under any
        // of its names, the name percent-encoded or not.
        return ConnectionOption().Replace(target, option =>
            PasswordNames.Contains(Uri.UnescapeDataString(option.Groups["name"].Value).Trim())
                ? $"{option.Groups["name"].Value}{option.Groups["equals"].Value}***"
                : option.Value);
    }

    private static readonly HashSet<string> PasswordNames = new(["password", "pwd", "psw"], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?<name>[^?&;=]+)(?<equals>=)(?<value>[^&;]*)")]
    private static partial Regex ConnectionOption();

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "{Started}")]
    private static partial void LogStarted(ILogger logger, string started);
}
