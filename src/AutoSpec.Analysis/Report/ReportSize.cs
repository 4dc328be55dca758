using System.Globalization;
using System.Text;

namespace AutoSpec.Report;

/// <summary>What a report's bytes are made of: the inlined plotly.js, the figures' data, the embedded CSV tables, the rest.</summary>
/// <param name="Total">Bytes of the page (UTF-8).</param>
/// <param name="PlotlyJs">Bytes of the inlined plotly.js (with its licence notices).</param>
/// <param name="Figures">Number of figures.</param>
/// <param name="FigureData">Bytes of the figures' JSON.</param>
/// <param name="Tables">Bytes of the CSV downloads (data URIs).</param>
public sealed record ReportSize(long Total, long PlotlyJs, int Figures, long FigureData, long Tables)
{
    /// <summary>Measures a page written by <see cref="HtmlReport"/> (it knows the markers that page uses).</summary>
    public static ReportSize Of(string html)
    {
        long plotly = 0;
        int start = html.IndexOf("<script>", StringComparison.Ordinal);
        if (start >= 0)
        {
            int end = html.IndexOf("</script>", start, StringComparison.Ordinal);
            plotly = Bytes(html, start + "<script>".Length, end);
        }
        int figures = 0;
        long figureData = 0;
        const string figure = "<script type=\"application/json\"";
        for (int i = html.IndexOf(figure, StringComparison.Ordinal); i >= 0; i = html.IndexOf(figure, i + 1, StringComparison.Ordinal))
        {
            int from = html.IndexOf('>', i) + 1;
            figureData += Bytes(html, from, html.IndexOf("</script>", from, StringComparison.Ordinal));
            figures++;
        }
        long tables = 0;
        const string csv = "href=\"data:text/csv";
        for (int i = html.IndexOf(csv, StringComparison.Ordinal); i >= 0; i = html.IndexOf(csv, i + 1, StringComparison.Ordinal))
        {
            int from = i + "href=\"".Length;
            tables += Bytes(html, from, html.IndexOf('"', from));
        }
        return new ReportSize(Encoding.UTF8.GetByteCount(html), plotly, figures, figureData, tables);
    }

    /// <summary>One line: "5.1 MB: plotly.js 3.6 MB, 56 figures 1.3 MB, tables (CSV) 0.2 MB, page 0.1 MB".</summary>
    public override string ToString() =>
        $"{Mb(Total)}: plotly.js {Mb(PlotlyJs)}, {Figures} figures {Mb(FigureData)}, tables (CSV) {Mb(Tables)}, " +
        $"text and layout {Mb(Total - PlotlyJs - FigureData - Tables)}";

    private static long Bytes(string text, int from, int to) => to > from ? Encoding.UTF8.GetByteCount(text.AsSpan(from, to - from)) : 0;

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MB";
}
