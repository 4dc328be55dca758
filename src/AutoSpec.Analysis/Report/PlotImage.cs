using ScottPlot;

namespace AutoSpec.Report;

/// <summary>Renders ScottPlot plots (headless, SkiaSharp) to PNG data URIs that an HTML page embeds without any link.</summary>
internal static class PlotImage
{
    /// <summary>Group colours, stable across the report.</summary>
    public static readonly Color[] Palette =
    [
        new(31, 119, 180), new(214, 39, 40), new(44, 160, 44), new(148, 103, 189), new(255, 127, 14), new(140, 86, 75),
    ];

    /// <summary>PNG of the plot as a data: URI.</summary>
    public static string DataUri(Plot plot, int width = 640, int height = 360)
    {
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        return "data:image/png;base64," + Convert.ToBase64String(bytes);
    }
}
