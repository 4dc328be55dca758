using System.Globalization;
using System.Net;
using System.Text;

namespace AutoSpec.Report;

/// <summary>
/// The body of the report as it is written: sections (which make the table of contents), figures (numbered ids),
/// tables (always inside a horizontally scrolling box, so a wide table never widens the page) and paragraphs.
/// </summary>
internal sealed class ReportPage
{
    private readonly List<(string Id, string Title, int Level)> _contents = [];

    // Shared with child pages: figure ids stay unique across the page.
    private readonly int[] _figures;

    /// <summary>An empty page.</summary>
    public ReportPage() => _figures = [0];

    private ReportPage(int[] figures) => _figures = figures;

    /// <summary>A page whose body is written apart (and appended or dropped by the caller) but numbers figures in this page's sequence.</summary>
    public ReportPage Child() => new(_figures);

    /// <summary>The HTML written so far.</summary>
    public StringBuilder Body { get; } = new();

    /// <summary>Sections and subsections, in order, for the table of contents.</summary>
    public IReadOnlyList<(string Id, string Title, int Level)> Contents => _contents;

    /// <summary>Figures written.</summary>
    public int Figures => _figures[0];

    /// <summary>Starts a section (level 2) or subsection (level 3) with a heading that the contents link to.</summary>
    public void Heading(string id, string title, int level = 2)
    {
        _contents.Add((id, title, level));
        Body.Append("<h").Append(level).Append(" id=\"").Append(id).Append("\">").Append(E(title)).Append("</h").Append(level).Append(">\n");
    }

    /// <summary>A paragraph of plain text.</summary>
    public void Paragraph(string text, string? cssClass = null) =>
        Body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(E(text)).Append("</p>\n");

    /// <summary>Raw HTML (the caller escapes what it takes from the data).</summary>
    public void Html(string html) => Body.Append(html);

    /// <summary>A figure with its caption.</summary>
    public void Figure(PlotlyFigure figure, string caption) =>
        Body.Append(figure.ToHtml("fig-" + (++_figures[0]).ToString(CultureInfo.InvariantCulture), caption));

    /// <summary>
    /// A table of text cells (escaped) inside a scrolling box, with a legend line under it (say there what "–" means).
    /// </summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? legend, string? cssClass = null)
    {
        Body.Append("<div class=\"scroll\"><table").Append(cssClass is null ? "" : $" class=\"{cssClass}\"").Append("><thead><tr>");
        foreach (var h in header)
        {
            Body.Append("<th>").Append(E(h)).Append("</th>");
        }
        Body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            Body.Append("<tr>");
            foreach (var cell in row)
            {
                // A sentence-long cell keeps a readable width: the table scrolls sideways on a phone instead.
                Body.Append(cell.Length > 60 ? "<td class=\"long\">" : "<td>").Append(E(cell)).Append("</td>");
            }
            Body.Append("</tr>\n");
        }
        Body.Append("</tbody></table></div>\n");
        if (legend is not null)
        {
            Paragraph(legend, "legend");
        }
    }

    /// <summary>HTML-escapes text.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);
}
