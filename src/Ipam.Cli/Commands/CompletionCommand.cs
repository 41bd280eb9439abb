namespace Ipam.Cli.Commands;

/// <summary>
/// <c>ipam completion bash|zsh</c>: prints a script that completes commands, options and option values by asking
/// <c>ipam</c> itself through System.CommandLine's <c>[suggest]</c> directive (what <c>dotnet-suggest</c> does, without
/// installing it).
/// </summary>
internal static class CompletionCommand
{
    public const string Bash = """
        # ipam completion for bash; load it with: source <(ipam completion bash)
        _ipam_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE:0:COMP_POINT}"
            COMPREPLY=($(compgen -W "$(ipam "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _ipam_complete ipam

        """;

    public const string Zsh = """
        #compdef ipam
        # ipam completion for zsh; load it with: source <(ipam completion zsh)
        _ipam_complete() {
            local line="${(j: :)words[1,CURRENT]}"
            local -a suggestions
            suggestions=(${(f)"$(ipam "[suggest:${#line}]" "$line" 2>/dev/null)"})
            compadd -- $suggestions
        }
        compdef _ipam_complete ipam

        """;

    public static Command Create(Terminal terminal)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print the shell completion script for bash or zsh; load it from ~/.bashrc or ~/.zshrc.")
        {
            shell,
        }.WithExamples(
            "source <(ipam completion bash)    # in ~/.bashrc",
            "source <(ipam completion zsh)     # in ~/.zshrc, after compinit");
        command.SetAction(parseResult =>
        {
            terminal.Out.Write(parseResult.GetRequiredValue(shell) == "zsh" ? Zsh : Bash);
            return ExitCodes.Ok;
        });
        return command;
    }
}
