using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ipam.Benchmarks.Harness;

/// <summary>A result table, printed as Markdown so that it pastes into docs/performance.md unchanged.</summary>
internal sealed class Table(string title, params string[] columns)
{
    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public List<string[]> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    public Table Add(params string[] cells)
    {
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"Table '{Title}' has {Columns.Count} columns; got a row of {cells.Length}.");
        }

        Rows.Add(cells);
        return this;
    }

    public void Write(TextWriter writer)
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, Rows.Count == 0 ? 0 : Rows.Max(r => r[i].Length))).ToArray();
        var numeric = Columns.Select((_, i) => i > 0 && Rows.All(r => r[i].Length == 0 || r[i] == "-" || char.IsDigit(r[i][0]))).ToArray();
        writer.WriteLine();
        writer.WriteLine($"#### {Title}");
        writer.WriteLine();
        writer.WriteLine(Line(Columns, widths, numeric));
        writer.WriteLine("|" + string.Join("|", widths.Select((w, i) => numeric[i] ? " " + new string('-', w - 1) + ": " : new string('-', w + 2))) + "|");
        foreach (var row in Rows)
        {
            writer.WriteLine(Line(row, widths, numeric));
        }

        foreach (var note in Notes)
        {
            writer.WriteLine();
            writer.WriteLine(note);
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths, bool[] numeric) =>
        "| " + string.Join(" | ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))) + " |";
}

/// <summary>One of the performance goals (docs/performance.md), as measured by a workload.</summary>
internal sealed record Goal(string Name, string Target, string Measured, bool? Met, string? Limit = null)
{
    public string Verdict => Met switch { true => "met", false => "not met", null => "not measured" };
}

/// <summary>What a workload hands back: its tables, the goals it decides, and the raw figures for the JSON file.</summary>
internal sealed class WorkloadReport(string name, string title)
{
    public string Name { get; } = name;

    public string Title { get; } = title;

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public double ElapsedSeconds { get; set; }

    public List<Table> Tables { get; } = [];

    public List<Goal> Goals { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Every measurement behind the tables, for the JSON file.</summary>
    public Dictionary<string, object?> Data { get; } = [];

    public Table AddTable(string title, params string[] columns)
    {
        var table = new Table(title, columns);
        Tables.Add(table);
        return table;
    }

    public void Write(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"### {Title}");
        foreach (var note in Notes)
        {
            writer.WriteLine();
            writer.WriteLine(note);
        }

        foreach (var table in Tables)
        {
            table.Write(writer);
        }

        writer.WriteLine();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"({Name}: {ElapsedSeconds:F0} s)"));
    }
}

/// <summary>Writes reports as JSON (and the run summary as Markdown) under bench/results/.</summary>
internal sealed class ResultWriter(string directory, string stamp)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Directory { get; } = directory;

    public string Write(string name, object content)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{name}-{stamp}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(content, Json));
        return path;
    }

    public string WriteText(string name, string extension, string content)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{name}-{stamp}.{extension}");
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }

    public static object Document(WorkloadReport report, RunInfo run) => new
    {
        workload = report.Name,
        title = report.Title,
        started = report.Started,
        elapsed_seconds = report.ElapsedSeconds,
        run,
        notes = report.Notes,
        tables = report.Tables.Select(t => new { title = t.Title, columns = t.Columns, rows = t.Rows, notes = t.Notes }),
        goals = report.Goals,
        data = report.Data,
    };
}

/// <summary>The machine and settings of a run, recorded with every result file.</summary>
internal sealed record RunInfo(string Mode, bool Durable, int Cores, string Os, string Runtime, string Commit, DateTimeOffset Started)
{
    public static RunInfo Capture(bool quick, bool durable) => new(
        quick ? "quick" : "full",
        durable,
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        GitCommit(),
        DateTimeOffset.UtcNow);

    private static string GitCommit()
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", "rev-parse --short HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = System.Diagnostics.Process.Start(start);
            if (git is null)
            {
                return "";
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
