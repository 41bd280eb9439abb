using Spectre.Console;

namespace Ipam.Cli.Output;

/// <summary>
/// <paramref name="inner"/> never narrower than its longest words. Spectre.Console fits a table to the terminal by
/// wrapping its cells, and once every cell is down to its longest word it goes on squeezing, which cuts UUIDs, CIDRs
/// and IPv6 addresses into pieces that can no longer be read or copied. A table that does not fit with its words whole
/// is written at its full width instead, without borders (its lines run on as the terminal wraps them, and borders
/// would only add to the clutter), so that every value stays whole, as <c>kubectl</c> and <c>ps</c> write theirs.
/// </summary>
internal sealed class WordsKeptWhole(IRenderable inner) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, Fitted(options, maxWidth));

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => inner.Render(options, Fitted(options, maxWidth));

    private int Fitted(RenderOptions options, int maxWidth)
    {
        var natural = inner.Measure(options, Unbounded);
        if (natural.Min <= maxWidth)
        {
            return maxWidth;
        }

        if (inner is Table table)
        {
            table.Border(TableBorder.None);
            foreach (var column in table.Columns)
            {
                column.Padding = new Padding(0, 0, ColumnGap, 0);
            }

            natural = inner.Measure(options, Unbounded);
        }

        return Math.Max(maxWidth, natural.Max);
    }

    private const int ColumnGap = 2;

    /// <summary>Wide enough for any table the CLI writes, far enough from int.MaxValue that Spectre's sums cannot overflow.</summary>
    private const int Unbounded = 1 << 20;
}
