using Spectre.Console;

namespace Ipam.Cli.Output;

/// <summary>
/// A progress bar on standard error while an import runs, one step per file read and one for the server's all-or-
/// nothing load; nothing at all when standard error is not a terminal (pipes, files, tests).
/// </summary>
internal sealed class ImportProgress : IAsyncDisposable
{
    private readonly ProgressTask? _task;
    private readonly TaskCompletionSource _finished = new();
    private readonly Task? _display;

    public ImportProgress(Terminal terminal, int steps)
    {
        if (!ReferenceEquals(terminal.Error, Console.Error) || Console.IsErrorRedirected)
        {
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var started = new TaskCompletionSource<ProgressTask>();
        _display = console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                started.SetResult(context.AddTask("import", maxValue: steps));
                await _finished.Task;
            });
        _task = started.Task.GetAwaiter().GetResult();
    }

    public T Step<T>(string description, Func<T> work)
    {
        Describe(description);
        var result = work();
        _task?.Increment(1);
        return result;
    }

    public async Task<T> StepAsync<T>(string description, Func<Task<T>> work)
    {
        Describe(description);
        var result = await work();
        _task?.Increment(1);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _finished.TrySetResult();
        if (_display is not null)
        {
            await _display;
        }
    }

    private void Describe(string description)
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape(description);
        }
    }
}
