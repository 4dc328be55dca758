using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AutoSpec.Report;

/// <summary>
/// One interactive figure of the report: plotly.js traces and layout (the figure JSON plotly.js documents), written into
/// the page as a JSON block beside an empty <c>div.plot</c> that the page's script draws into.
/// </summary>
internal sealed class PlotlyFigure
{
    /// <summary>Fonts of the figures: the page's sans-serif stack, so plots and text match.</summary>
    public const string Font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

    // The default encoder escapes <, > and & (and non-ASCII) as \uXXXX: the JSON cannot end its <script> element.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>A figure with the report's base layout: title, fixed height, width following the page.</summary>
    /// <param name="fileName">Name (without extension) of the SVG/PNG a reader downloads from the figure's toolbar.</param>
    /// <param name="title">Title drawn in the figure (so a downloaded image carries it).</param>
    /// <param name="height">Height in CSS pixels.</param>
    public PlotlyFigure(string fileName, string title, int height = 340)
    {
        FileName = fileName;
        Height = height;
        Layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title, ["x"] = 0.01, ["xanchor"] = "left", ["font"] = new JsonObject { ["size"] = 14 } },
            ["height"] = height,
            ["autosize"] = true,
            ["margin"] = new JsonObject { ["l"] = 58, ["r"] = 16, ["t"] = 72, ["b"] = 48 },
            ["font"] = new JsonObject { ["family"] = Font, ["size"] = 12, ["color"] = "#222" },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["x"] = 0, ["xanchor"] = "left", ["y"] = 1.0, ["yanchor"] = "bottom" },
            ["hovermode"] = "closest",
            ["paper_bgcolor"] = "#fff",
            ["plot_bgcolor"] = "#fff",
        };
    }

    /// <summary>Name of the downloaded image.</summary>
    public string FileName { get; }

    /// <summary>Height in CSS pixels.</summary>
    public int Height { get; }

    /// <summary>The traces (plotly.js <c>data</c>).</summary>
    public JsonArray Traces { get; } = [];

    /// <summary>The layout (plotly.js <c>layout</c>).</summary>
    public JsonObject Layout { get; }

    /// <summary>Sets an axis (<c>xaxis</c>, <c>yaxis</c>, <c>yaxis2</c>, …) with a title and the report's grid style.</summary>
    public JsonObject Axis(string name, string title)
    {
        var axis = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["gridcolor"] = "#e6e6e6",
            ["zeroline"] = false,
            ["automargin"] = true,
            ["linecolor"] = "#888",
        };
        Layout[name] = axis;
        return axis;
    }

    /// <summary>The figure as HTML: a figure element with the plot's box, its JSON and a caption.</summary>
    public string ToHtml(string id, string caption)
    {
        var figure = new JsonObject { ["data"] = Traces.DeepClone(), ["layout"] = Layout.DeepClone() };
        return $"<figure class=\"figure\"><div class=\"plot\" id=\"{id}\" data-file=\"{WebUtility.HtmlEncode(FileName)}\" " +
            $"style=\"min-height:{Height.ToString(CultureInfo.InvariantCulture)}px\"></div>" +
            $"<script type=\"application/json\" id=\"{id}-data\">{figure.ToJsonString(Json)}</script>" +
            $"<figcaption>{WebUtility.HtmlEncode(caption)}</figcaption></figure>\n";
    }

    /// <summary>
    /// Numbers as a JSON array, rounded to 5 significant digits (plots need no more, and the page stays small); NaN and
    /// infinities become null, which plotly.js draws as a gap.
    /// </summary>
    public static JsonArray Numbers(IEnumerable<double> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(double.IsFinite(v) ? JsonValue.Create(Round(v)) : null);
        }
        return array;
    }

    /// <summary>Texts as a JSON array.</summary>
    public static JsonArray Texts(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(JsonValue.Create(v));
        }
        return array;
    }

    private static double Round(double v) => v == 0 ? 0 : double.Parse(v.ToString("G5", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
