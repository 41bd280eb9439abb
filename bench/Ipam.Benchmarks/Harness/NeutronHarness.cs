using System.Diagnostics;
using System.Text.Json;

namespace Ipam.Benchmarks.Harness;

/// <summary>
/// Runs the Neutron side-by-side harness (<c>bench_neutron.py</c>, which drives Neutron's real
/// <c>neutrondb_ipam</c> driver from Debian's python3-neutron) as a child process and reads the JSON
/// objects it prints, one per line.
/// </summary>
internal sealed class NeutronHarness
{
    /// <summary>Where a checkout may carry the harness; it is not part of the repository today.</summary>
    public const string RepositoryScript = "bench/neutron/bench_neutron.py";
    public const string ScriptVariable = "IPAM_BENCH_NEUTRON_SCRIPT";
    public const string PythonVariable = "IPAM_BENCH_PYTHON";
    public const string DefaultPython = "python3";

    private readonly string _python;
    private readonly string _script;

    private NeutronHarness(string python, string script)
    {
        _python = python;
        _script = script;
    }

    public string Script => _script;

    /// <summary>
    /// The harness script named by <paramref name="given"/> (the option), else by the environment, else the
    /// copy in this checkout if there is one; null when none is named or found.
    /// </summary>
    public static string? FindScript(string? given, string? root)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }

        if (Environment.GetEnvironmentVariable(ScriptVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        return root is not null && File.Exists(Path.Combine(root, RepositoryScript)) ? Path.Combine(root, RepositoryScript) : null;
    }

    /// <summary>The Python named by the option, else by the environment, else <c>python3</c> from PATH.</summary>
    public static string FindPython(string? given) =>
        !string.IsNullOrEmpty(given) ? given : Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultPython;

    /// <summary>
    /// The harness if its script exists and the interpreter can import Neutron's driver; otherwise null and
    /// the reason (for the report), which says how to provide what is missing.
    /// </summary>
    public static async Task<(NeutronHarness? Harness, string Reason)> TryFindAsync(string python, string? script)
    {
        if (script is null)
        {
            return (null, $"no Neutron harness script: pass --neutron-script PATH or set {ScriptVariable} to bench_neutron.py " +
                "(it drives Neutron's neutrondb_ipam driver from Debian's python3-neutron); the Ipam side runs without it");
        }

        if (!File.Exists(script))
        {
            return (null, $"the Neutron harness {script} does not exist (--neutron-script PATH or {ScriptVariable})");
        }

        if (ResolveProgram(python) is not { } program)
        {
            return (null, $"{python} was not found (--python PATH or {PythonVariable})");
        }

        var (exit, _, error) = await RunProcessAsync(program, ["-c", "import neutron.ipam.drivers.neutrondb_ipam.driver"], TimeSpan.FromMinutes(2));
        return exit == 0
            ? (new NeutronHarness(program, script), "")
            : (null, $"{program} cannot import Neutron's driver (apt-get install python3-neutron python3-psycopg2, see the harness README; " +
                $"--python PATH or {PythonVariable} names another Python, such as the system's /usr/bin/python3): {LastLine(error)}");
    }

    /// <summary>Runs one workload of the harness; returns the JSON objects it printed.</summary>
    public async Task<IReadOnlyList<JsonElement>> RunAsync(string workload, string database, string outFile, IEnumerable<string> arguments, TimeSpan timeout, TextWriter log)
    {
        string[] argv = [_script, "--workload", workload, "--db", database, "--out", outFile, .. arguments];
        log.WriteLine($"  neutron: {_python} {string.Join(' ', argv)}");
        var watch = Stopwatch.StartNew();
        var (exit, output, error) = await RunProcessAsync(_python, argv, timeout);
        var objects = new List<JsonElement>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            objects.Add(document.RootElement.Clone());
        }

        if (exit != 0 || objects.Count == 0 || objects.Any(o => o.TryGetProperty("crashed", out _)))
        {
            throw new InvalidOperationException($"the Neutron harness ({workload}) failed with exit code {exit}: {LastLine(error)}");
        }

        log.WriteLine($"  neutron: {workload} done in {watch.Elapsed.TotalSeconds:F0} s");
        return objects;
    }

    /// <summary>The harness's figure for a summary object (<c>ops_per_s</c> of a <c>summarize()</c> result).</summary>
    public static double OpsPerSecond(JsonElement summary) =>
        summary.TryGetProperty("ops_per_s", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    /// <summary>A path as given, or a bare name looked up on PATH; null when there is no such file.</summary>
    private static string? ResolveProgram(string program)
    {
        if (program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }

    internal static async Task<(int Exit, string Output, string Error)> RunProcessAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await output, $"timed out after {timeout.TotalSeconds:F0} s");
        }

        return (process.ExitCode, await output, await error);
    }
}
