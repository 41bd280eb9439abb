using Spectre.Console;

namespace Ipam.Cli.Output;

/// <summary>
/// The one table style of the CLI. Cells are plain text: values from the server are never read as markup, and
/// control characters in them are shown escaped (see <see cref="TerminalText"/>).
/// </summary>
internal static class Tables
{
    /// <summary>A table of <paramref name="items"/>, one row each, or the line <paramref name="none"/> when there are none.</summary>
    public static IRenderable List<T>(IReadOnlyList<T> items, string none, params IReadOnlyList<Column<T>> columns)
    {
        if (items.Count == 0)
        {
            return new Text(none + Environment.NewLine);
        }

        var table = Create([.. columns.Select(c => c.Header)]);
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].RightAligned)
            {
                table.Columns[i].RightAligned();
            }

            if (!columns[i].Wraps)
            {
                table.Columns[i].NoWrap();
            }
        }

        foreach (var item in items)
        {
            table.AddRow([.. columns.Select(c => Cell(c.Cell(item), c.Wraps))]);
        }

        return table;
    }

    /// <summary>A list of resources: their ID and NAME first, then <paramref name="columns"/>.</summary>
    public static IRenderable Resources<T>(
        IReadOnlyList<T> items, string none, Func<T, Guid> id, Func<T, string?> name, params IReadOnlyList<Column<T>> columns) =>
        List(items, none, [new("ID", item => id(item).ToString()), new("NAME", item => Formats.Text(name(item)), Wraps: true), .. columns]);

    private static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        return table;
    }

    private static IRenderable Cell(string value, bool wraps)
    {
        var text = new Text(TerminalText.EscapeLines(value));
        return wraps ? text : new Unbroken(text);
    }

    /// <summary>A cell that is as narrow as its whole text, so that a table's narrowest width keeps it on one line.</summary>
    private sealed class Unbroken(Text text) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth)
        {
            var width = ((IRenderable)text).Measure(options, int.MaxValue / 2).Max;
            return new Measurement(width, width);
        }

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => ((IRenderable)text).Render(options, maxWidth);
    }

    /// <summary>Two columns, label and value, for one object.</summary>
    public static IRenderable KeyValues(IEnumerable<(string Key, string Value)> rows)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (key, value) in rows)
        {
            grid.AddRow(new Text(key, new Style(decoration: Decoration.Bold)), new Text(TerminalText.EscapeLines(value)));
        }

        return grid;
    }

    /// <summary>One resource: its ID and Name first, then <paramref name="rows"/>.</summary>
    public static IRenderable Resource(Guid id, string? name, IEnumerable<(string Key, string Value)> rows) =>
        KeyValues([("ID", id.ToString()), ("Name", Formats.Text(name)), .. rows]);
}
