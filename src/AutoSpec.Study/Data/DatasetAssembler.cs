namespace AutoSpec.Data;

/// <summary>
/// The checks every loader shares, applied once the values and annotations are in sample order: values finite,
/// at least two classes, and warnings for groups or classes with a single sample.
/// </summary>
internal static class DatasetAssembler
{
    /// <param name="values">Sample-major float32 values, C order within a sample.</param>
    /// <param name="sampleShape">Shape of one sample.</param>
    /// <param name="featureNames">One name per value of a sample.</param>
    /// <param name="annotations">Label, group and subject per sample.</param>
    /// <param name="dataPath">The file the values came from, for messages.</param>
    /// <param name="source">Description for <see cref="Dataset.Source"/>.</param>
    /// <param name="warnings">Warnings so far; this adds its own.</param>
    public static LoadedTable Build(
        float[] values,
        int[] sampleShape,
        IReadOnlyList<string> featureNames,
        SampleAnnotations annotations,
        string dataPath,
        string source,
        List<string> warnings)
    {
        var n = annotations.Count;
        var featureCount = sampleShape.Aggregate(1, (a, b) => checked(a * b));
        if ((long)n * featureCount != values.Length)
        {
            throw new InvalidOperationException("internal: values do not match the sample count and shape");
        }
        for (long k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
            {
                var sample = (int)(k / featureCount);
                var what = float.IsNaN(values[k]) ? "NaN" : values[k] > 0 ? "+Inf" : "-Inf";
                throw new InvalidInputException(
                    $"{dataPath}: sample {sample} ({annotations.Descriptions[sample]}), index {GeneratedNames.Tuple(k % featureCount, sampleShape)}: value is {what}; missing values are not supported.");
            }
        }

        var (labels, labelNames) = DelimitedTableLoader.EncodeLabels(annotations.Labels);
        if (labelNames.Length < 2)
        {
            throw new InvalidInputException(
                $"{annotations.LabelSource}: column {TextTable.Show(annotations.LabelColumn)} has only one distinct label ({TextTable.Show(labelNames[0])}); at least 2 classes are needed.");
        }
        DelimitedTableLoader.RefuseNonClassLabel(annotations.LabelSource, annotations.LabelColumn, labelNames.Length, labels.Length);
        foreach (var (group, count) in annotations.Groups.CountBy(g => g, StringComparer.Ordinal))
        {
            if (count < 2)
            {
                warnings.Add($"{annotations.LabelSource}: group {TextTable.Show(group)} has only {count} sample.");
            }
        }
        var classCounts = new int[labelNames.Length];
        foreach (var l in labels)
        {
            classCounts[l]++;
        }
        for (var c = 0; c < labelNames.Length; c++)
        {
            if (classCounts[c] < 2)
            {
                warnings.Add($"{annotations.LabelSource}: label {TextTable.Show(labelNames[c])} has only {classCounts[c]} sample.");
            }
        }
        var dataset = new Dataset(values, featureCount, labels, labelNames, [.. annotations.Groups], featureNames,
            [.. annotations.Subjects], source, sampleShape);
        return new LoadedTable(dataset, warnings);
    }
}
