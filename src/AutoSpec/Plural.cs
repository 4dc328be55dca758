using System.Globalization;

namespace AutoSpec;

/// <summary>Counts in messages with their noun in the right number ("1 run", "0 runs", "2 runs").</summary>
internal static class Plural
{
    /// <summary>The count and the noun, singular for exactly one.</summary>
    /// <param name="count">How many.</param>
    /// <param name="noun">The singular noun.</param>
    /// <param name="plural">The plural when it is not the noun + "s".</param>
    public static string Of(long count, string noun, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? noun : plural ?? noun + "s")}";
}
