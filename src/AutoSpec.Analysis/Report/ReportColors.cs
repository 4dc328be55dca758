namespace AutoSpec.Report;

/// <summary>
/// The report's colours, one meaning each everywhere (plots and tables): the reference group (the first) is blue and the
/// second red, and a difference "later group minus reference" is red when positive and blue when negative, so with two
/// groups red always means "higher in the later group". Further groups get colours that are neither.
/// </summary>
internal static class ReportColors
{
    /// <summary>Higher in the later group (a positive difference).</summary>
    public const string Higher = "#b2182b";

    /// <summary>Lower in the later group (a negative difference).</summary>
    public const string Lower = "#2166ac";

    /// <summary>No difference (centre of the diverging scale).</summary>
    public const string Neutral = "#f7f7f7";

    /// <summary>Training split in the curves.</summary>
    public const string Train = "#4d4d4d";

    /// <summary>Validation split in the curves.</summary>
    public const string Validation = "#e08214";

    private static readonly string[] Groups = [Lower, Higher, "#1b9e77", "#7570b3", "#d95f02", "#66a61e", "#666666"];

    /// <summary>The colour of the <paramref name="index"/>-th compared group (0 = reference).</summary>
    public static string Group(int index) => Groups[index % Groups.Length];

    /// <summary>A colour with opacity, for bands.</summary>
    public static string Transparent(string hex, double alpha) =>
        $"rgba({Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})";

    /// <summary>Diverging plotly colour scale: blue (negative) through light grey to red (positive).</summary>
    public static (double At, string Color)[] Diverging => [(0.0, Lower), (0.5, Neutral), (1.0, Higher)];
}
