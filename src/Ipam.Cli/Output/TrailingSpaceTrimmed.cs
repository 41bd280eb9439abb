namespace Ipam.Cli.Output;

/// <summary>
/// <paramref name="inner"/> without the white space at the end of its lines: Spectre.Console pads every cell to its column's
/// width, the last column's too, which leaves a key/value grid's lines ending in spaces that only show up in a diff or
/// a copy. The columns before the last keep their padding, so that alignment holds.
/// </summary>
internal sealed class TrailingSpaceTrimmed(IRenderable inner) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        // White space is held back until text follows it on the same line; a line break drops it.
        var pending = new List<Segment>();
        foreach (var segment in inner.Render(options, maxWidth))
        {
            if (segment.IsLineBreak)
            {
                pending.Clear();
                yield return segment;
                continue;
            }

            var text = segment.IsControlCode ? segment.Text : segment.Text.TrimEnd(' ');
            if (text.Length == 0)
            {
                pending.Add(segment);
                continue;
            }

            foreach (var space in pending)
            {
                yield return space;
            }

            pending.Clear();
            if (text.Length == segment.Text.Length)
            {
                yield return segment;
            }
            else
            {
                yield return new Segment(text, segment.Style, segment.Link);
                pending.Add(new Segment(segment.Text[text.Length..], segment.Style, segment.Link));
            }
        }
    }
}
