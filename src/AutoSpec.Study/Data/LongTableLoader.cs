namespace AutoSpec.Data;

/// <summary>
/// Loads a long table — one row per sample × feature, e.g. subject, session, region, value — and pivots it to one
/// sample per (subject, session) with one feature per distinct value of the pivot column. Hand-written: a pivot is a
/// few dictionary look-ups, and doing it here lets every problem name its line.
/// </summary>
/// <remarks>
/// Rules: every (sample, feature) pair appears exactly once (a repeat is an error naming both lines, a gap an error
/// naming the sample and the feature: nothing is imputed); the label and group are constant within a sample;
/// samples come in order of first appearance, features in order of first appearance unless
/// <see cref="DataSource.FeatureColumns"/> lists the pivot values to keep (in that order). Other columns are ignored.
/// </remarks>
internal static class LongTableLoader
{
    public static LoadedTable Load(DataSource source)
    {
        var path = source.Path;
        var pivotName = source.PivotColumn ?? throw new InvalidOperationException("internal: no pivot column");
        if (source.SubjectColumn is null)
        {
            throw new InvalidInputException($"{path}: a long table needs --subject (which rows belong to one subject).");
        }
        if (source.ValueColumn is null)
        {
            throw new InvalidInputException($"{path}: a long table needs --value (the column holding the values to pivot).");
        }
        var table = TextTable.Read(path, source.Delimiter);
        var subjects = SubjectTable.Over(table, source);
        var pivot = table.Column(pivotName, "pivot", nameof(source.PivotColumn));
        var value = table.Column(source.ValueColumn, "value", nameof(source.ValueColumn));

        var sampleOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstRow = new List<int>();
        var featureOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var featureNames = new List<string>();
        if (source.FeatureColumns is { } wanted)
        {
            foreach (var name in wanted)
            {
                if (!featureOf.TryAdd(name, featureNames.Count))
                {
                    throw new InvalidInputException($"{path}: --features lists {TextTable.Show(name)} twice.");
                }
                featureNames.Add(name);
            }
            if (featureNames.Count == 0)
            {
                throw new InvalidInputException($"{path}: --features is empty; name at least one value of the pivot column.");
            }
        }
        var cells = new Dictionary<(int Sample, int Feature), int>(); // → row index
        var seenFeatures = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var key = subjects.Key(r);
            if (!sampleOf.TryGetValue(key, out var sample))
            {
                sample = firstRow.Count;
                sampleOf[key] = sample;
                firstRow.Add(r);
            }
            else
            {
                var first = firstRow[sample];
                Same(table, subjects.Label(first), subjects.Label(r), first, r, "label", subjects.Describe(r));
                Same(table, subjects.Group(first), subjects.Group(r), first, r, "group", subjects.Describe(r));
            }
            var featureName = table.Required(r, pivot, "pivot value");
            seenFeatures.Add(featureName);
            if (!featureOf.TryGetValue(featureName, out var feature))
            {
                if (source.FeatureColumns is not null)
                {
                    continue;
                }
                feature = featureNames.Count;
                featureOf[featureName] = feature;
                featureNames.Add(featureName);
            }
            if (!cells.TryAdd((sample, feature), r))
            {
                throw new InvalidInputException(
                    $"{path}: lines {table.Lines[cells[(sample, feature)]]} and {table.Lines[r]} both give {TextTable.Show(featureName)} for {subjects.Describe(r)}.");
            }
        }
        foreach (var name in featureNames.Where(f => !seenFeatures.Contains(f)))
        {
            throw new InvalidInputException(
                $"{path}: --features names {TextTable.Show(name)}, which never appears in column {TextTable.Show(pivotName)}.");
        }

        var f = featureNames.Count;
        var values = new float[(long)firstRow.Count * f];
        for (var s = 0; s < firstRow.Count; s++)
        {
            for (var j = 0; j < f; j++)
            {
                if (!cells.TryGetValue((s, j), out var r))
                {
                    throw new InvalidInputException(
                        $"{path}: {subjects.Describe(firstRow[s])} (first on line {table.Lines[firstRow[s]]}) has no row for {TextTable.Show(featureNames[j])} in column {TextTable.Show(pivotName)}; every sample needs every feature.");
                }
                values[(long)s * f + j] = DelimitedTableLoader.ParseFeature(path, table.Lines[r], source.ValueColumn, table.Rows[r][value]);
            }
        }
        var annotations = subjects.Annotations(firstRow);
        var warnings = new List<string>();
        var sessions = source.SessionColumn is null ? "" : $" × {source.SessionColumn}";
        return DatasetAssembler.Build(values, [f], featureNames, annotations, path,
            $"{Path.GetFullPath(path)} (long table pivoted: {source.SubjectColumn}{sessions} × {pivotName} → {source.ValueColumn})",
            warnings);
    }

    private static void Same(TextTable table, string first, string now, int firstRow, int row, string what, string sample)
    {
        if (!string.Equals(first, now, StringComparison.Ordinal))
        {
            throw new InvalidInputException(
                $"{table.Path}: line {table.Lines[row]}: {what} {TextTable.Show(now)} differs from {TextTable.Show(first)} on line {table.Lines[firstRow]} for {sample}; a sample has one {what}.");
        }
    }
}
