using Ipam.Cli.Output;

namespace Ipam.Cli.Tests.Output;

/// <summary>
/// A table wider than the terminal keeps every id, address and CIDR whole: only free text wraps, and when the values
/// alone do not fit, the table is written borderless at its full width.
/// </summary>
public sealed class NarrowTerminalTests
{
    private const string Id = "01a24d36-cfdf-7f9f-8839-86a78adbd641";
    private const string Address = "2001:db8:abcd:ef01:748b:be10:8e17:cd41";
    private const string Cidr = "2001:db8:abcd:ef01::/64";
    private const string Owner = "a long owner name that wraps";
    private const string Created = "2026-12-06 21:16:09Z";

    [Theory]
    [InlineData(80)]
    [InlineData(140)]
    [InlineData(165)]
    public void Values_too_wide_for_the_terminal_stay_whole_on_one_line_without_borders(int width)
    {
        var lines = Render(width);

        Assert.Equal(2, lines.Length);
        Assert.All(new[] { Id, Address, Cidr, Owner, Created }, value => Assert.Contains(value, lines[1], StringComparison.Ordinal));
        Assert.StartsWith("ID  ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain('│', string.Concat(lines));
    }

    [Fact]
    public void Free_text_wraps_where_the_values_fit()
    {
        var lines = Render(175);

        Assert.All(new[] { Id, Address, Cidr, Created }, value => Assert.Contains(value, lines[3], StringComparison.Ordinal));
        Assert.DoesNotContain(Owner, string.Concat(lines), StringComparison.Ordinal);
        Assert.True(lines[3].Contains("a long", StringComparison.Ordinal), string.Join("\n", lines));
        Assert.Contains('│', lines[3]);
        Assert.True(lines.Max(l => l.Length) <= 175, string.Join('\n', lines));
    }

    [Fact]
    public void A_table_that_fits_is_unchanged()
    {
        var lines = Render(220);

        Assert.Equal(5, lines.Length);
        Assert.All(new[] { Id, Address, Cidr, Owner, Created }, value => Assert.Contains(value, lines[3], StringComparison.Ordinal));
    }

    private static string[] Render(int width)
    {
        using var stdout = new StringWriter();
        var terminal = new Terminal(stdout, TextWriter.Null);
        terminal.Console.Profile.Width = width;
        terminal.Write(Tables.List(
            [new Row(Id, Address, Cidr, Owner)],
            "none",
            new Column<Row>("ID", r => r.Id),
            new Column<Row>("ADDRESS", r => r.Address),
            new Column<Row>("CIDR", r => r.Cidr),
            new Column<Row>("OWNER", r => r.Owner, Wraps: true),
            new Column<Row>("CREATED", _ => Created),
            new Column<Row>("ALLOCATED", _ => "18,446,744,073,709,551,614", RightAligned: true)));
        return stdout.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed record Row(string Id, string Address, string Cidr, string Owner);
}
