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

    /// <summary>
    /// The roles of the columns as loaded, one line each: label, groups and subject, the features (abbreviated when
    /// many), and for wide tables the columns excluded and those not used. What <c>data inspect</c> and a run's
    /// start-up show, so that an extra column (age, a second label) is not taken as a feature unseen.
    /// </summary>
    public static IReadOnlyList<string> Columns(LoadedTable loaded, DataSource source)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(source);
        var data = loaded.Dataset;
        var groups = source.GroupColumns.Count == 0 ? $"{source.LabelColumn} (the label)" : string.Join(", ", source.GroupColumns);
        var lines = new List<string>
        {
            $"label: {source.LabelColumn}; group: {groups}; subject: {source.SubjectColumn ?? "none (one subject per row)"}",
            FeatureLine(data),
        };
        if (loaded.ExcludedColumns.Count > 0)
        {
            lines.Add($"excluded ({loaded.ExcludedColumns.Count}): {Names(loaded.ExcludedColumns)}");
        }
        if (loaded.UnusedColumns.Count > 0)
        {
            lines.Add($"not used ({loaded.UnusedColumns.Count}): {Names(loaded.UnusedColumns)}");
        }
        if (data.Missing is { } m)
        {
            lines.Add(MissingLine(m));
        }
        return lines;
    }

    /// <summary>"missing values (…): 3 samples dropped …" or "… 5 cells imputed …", with the counts per feature.</summary>
    public static string MissingLine(MissingValues missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var codes = missing.Codes.Count == 0 ? "empty cells" : $"{string.Join(", ", missing.Codes)} and empty cells";
        var cells = missing.ByFeature.Sum(p => p.Value);
        var where = missing.ByFeature.Count == 0 ? "" : $" ({Names(missing.ByFeature.Select(p => $"{p.Key} {p.Value}").ToList())})";
        var done = missing.Policy == MissingValuePolicy.Drop
            ? $"{Plural.Of(missing.DroppedSamples, "sample")} dropped, {Plural.Of(missing.DroppedSubjects, "subject")} left without one"
            : $"{Plural.Of(missing.Cells.Count, "cell")} imputed in each run with the feature's mean over its training folds";
        return $"missing values ({codes}): {Plural.Of(cells, "cell")}{where}; {done}";
    }

    /// <summary>"features (N): a, b, …": the feature names of <paramref name="data"/>, abbreviated when many.</summary>
    public static string FeatureLine(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return string.Create(CultureInfo.InvariantCulture, $"features ({data.FeatureCount}): {Names(data.FeatureNames)}");
    }

    /// <summary>
    /// Names for one line: all of them when at most <paramref name="shown"/>, else the first ones, "…" and the last,
    /// with the count (a table of hundreds of features stays one readable line).
    /// </summary>
    public static string Names(IReadOnlyList<string> names, int shown = 12)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfLessThan(shown, 2);
        if (names.Count <= shown)
        {
            return string.Join(", ", names);
        }
        var first = Enumerable.Range(0, shown - 1).Select(i => names[i]);
        return string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", first)}, …, {names[^1]} ({names.Count} in all)");
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
