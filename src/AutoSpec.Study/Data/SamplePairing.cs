using System.Globalization;

namespace AutoSpec.Data;

/// <summary>
/// Pairs the samples of an array file (.npy, HDF5, NIfTI stack) with the rows of its subject table. By default row
/// i describes sample i, so the counts must agree. With <see cref="DataSource.SampleIdsPath"/> (one id per line,
/// line i naming sample i) rows are matched by their subject id (or "subject/session"), and every sample must have a
/// row and every row a sample.
/// </summary>
internal static class SamplePairing
{
    /// <summary>The annotations of samples 0..<paramref name="sampleCount"/>-1 of <paramref name="dataPath"/>.</summary>
    public static SampleAnnotations Pair(DataSource source, int sampleCount, string dataPath, string what)
    {
        var tablePath = source.SubjectTablePath ?? throw new InvalidInputException(
            $"{dataPath}: {what} needs --subjects: a CSV/TSV with the label and group of each sample.");
        var table = SubjectTable.Read(tablePath, source);
        if (source.SampleIdsPath is null)
        {
            if (source.SubjectColumn is not null)
            {
                table.RowsByKey();
            }
            if (table.Count != sampleCount)
            {
                throw new InvalidInputException(
                    $"{dataPath}: has {sampleCount} samples but {tablePath} has {table.Count} rows; row i of the subject table describes sample i (or give --ids to match by id).");
            }
            return table.Annotations(Enumerable.Range(0, sampleCount).ToArray());
        }

        if (source.SubjectColumn is null)
        {
            throw new InvalidInputException($"{source.SampleIdsPath}: matching samples by id needs --subject (the id column of {tablePath}).");
        }
        var ids = ReadIds(source.SampleIdsPath);
        if (ids.Count != sampleCount)
        {
            throw new InvalidInputException(
                $"{source.SampleIdsPath}: has {ids.Count} ids but {dataPath} has {sampleCount} samples; line i names sample i.");
        }
        var rowOf = table.RowsByKey();
        var rows = new int[sampleCount];
        var used = new bool[table.Count];
        for (var i = 0; i < sampleCount; i++)
        {
            if (!rowOf.TryGetValue(ids[i], out var r))
            {
                throw new InvalidInputException(
                    $"{dataPath}: sample {i} (id {TextTable.Show(ids[i])}, line {i + 1} of {source.SampleIdsPath}) has no row in {tablePath}.");
            }
            rows[i] = r;
            used[r] = true;
        }
        for (var r = 0; r < table.Count; r++)
        {
            if (!used[r])
            {
                throw new InvalidInputException(
                    $"{tablePath}: line {table.Table.Lines[r]}: {table.Describe(r)} has no sample in {dataPath} (not listed in {source.SampleIdsPath}).");
            }
        }
        return table.Annotations(rows);
    }

    private static List<string> ReadIds(string path)
    {
        var ids = DelimitedTableLoader.ReadText(path, reader =>
        {
            var list = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                list.Add(line.Trim());
            }
            return list;
        });
        while (ids.Count > 0 && ids[^1].Length == 0)
        {
            ids.RemoveAt(ids.Count - 1);
        }
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length == 0)
            {
                throw new InvalidInputException($"{path}: line {i + 1} is empty; every sample needs an id.");
            }
            if (!firstLine.TryAdd(ids[i], i + 1))
            {
                throw new InvalidInputException(
                    $"{path}: duplicate id {TextTable.Show(ids[i])} on lines {firstLine[ids[i]].ToString(CultureInfo.InvariantCulture)} and {i + 1}.");
            }
        }
        if (ids.Count == 0)
        {
            throw new InvalidInputException($"{path}: holds no ids.");
        }
        return ids;
    }
}
