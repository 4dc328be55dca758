using System.Globalization;
using System.Text;

namespace AutoSpec.Data;

/// <summary>A short text summary of a loaded <see cref="Dataset"/>: shape, label and group counts, their cross-table.</summary>
internal static class DatasetSummary
{
    /// <summary>Several lines, no trailing newline; counts are samples, with distinct subjects in parentheses.</summary>
    public static string Describe(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder();
        var subjects = data.SubjectIds.Distinct(StringComparer.Ordinal).Count();
        sb.Append(CultureInfo.InvariantCulture,
            $"samples: {data.SampleCount} from {subjects} subjects; sample shape [{string.Join(", ", data.SampleShape)}] = {data.FeatureCount} values\n");
        sb.Append(CultureInfo.InvariantCulture, $"source: {data.Source}\n");
        var groups = data.Groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        // Rows: each label, then the total; columns: each group, then the total (null = all).
        var rowKeys = Enumerable.Range(0, data.LabelNames.Count).Select(c => (int?)c).Append(null).ToArray();
        var colKeys = groups.Append(null).ToArray();
        var cells = rowKeys.Select(r => colKeys.Select(c => Count(data, r, c)).ToArray()).ToArray();
        var rowNames = data.LabelNames.Append("total").ToArray();
        var colNames = groups.Append("total").ToArray();
        var first = Math.Max(5, rowNames.Max(n => n.Length));
        var widths = colNames.Select((n, j) => Math.Max(n.Length, cells.Max(row => row[j].Length))).ToArray();
        sb.Append("label".PadRight(first));
        for (var j = 0; j < colNames.Length; j++)
        {
            sb.Append("  ").Append(colNames[j].PadLeft(widths[j]));
        }
        for (var r = 0; r < rowNames.Length; r++)
        {
            sb.Append('\n').Append(rowNames[r].PadRight(first));
            for (var j = 0; j < colNames.Length; j++)
            {
                sb.Append("  ").Append(cells[r][j].PadLeft(widths[j]));
            }
        }
        return sb.ToString();
    }

    private static string Count(Dataset data, int? label, string? group)
    {
        var rows = Enumerable.Range(0, data.SampleCount)
            .Where(i => (label is null || data.Labels[i] == label) && (group is null || data.Groups[i] == group)).ToArray();
        var subjects = rows.Select(i => data.SubjectIds[i]).Distinct(StringComparer.Ordinal).Count();
        return subjects == rows.Length
            ? rows.Length.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{rows.Length} ({subjects})");
    }
}
