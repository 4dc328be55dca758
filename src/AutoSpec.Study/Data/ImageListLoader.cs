namespace AutoSpec.Data;

/// <summary>
/// Loads NIfTI images listed in a subject table (one image per row, in <see cref="DataSource.PathColumn"/>; relative
/// paths are taken from the table's folder). All images must share one grid and length: nothing is resampled.
/// </summary>
internal static class ImageListLoader
{
    public static LoadedTable Load(DataSource source)
    {
        var table = SubjectTable.Read(source.Path, source);
        var pathColumn = table.Table.Column(source.PathColumn!, "image path", nameof(source.PathColumn));
        if (source.SubjectColumn is not null)
        {
            table.RowsByKey();
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(source.Path)) ?? ".";
        var mask = source.MaskPath is null ? null : VolumeMask.Read(source.MaskPath);

        float[]? values = null;
        int[]? dims = null;
        string? firstImage = null;
        var featureCount = 0;
        for (var r = 0; r < table.Count; r++)
        {
            var cell = table.Table.Required(r, pathColumn, "image path");
            var file = Path.IsPathRooted(cell) ? cell : Path.Combine(folder, cell);
            if (!File.Exists(file))
            {
                throw new InvalidInputException(
                    $"{source.Path}: line {table.Table.Lines[r]}: image {TextTable.Show(cell)} of {table.Describe(r)} not found ({file}).");
            }
            var image = NiftiFile.Read(file);
            if (dims is null)
            {
                dims = image.Dims;
                firstImage = file;
                if (dims.Length < 3)
                {
                    throw new InvalidInputException($"{file}: is {string.Join(" × ", dims)}; images must be 3D or 4D.");
                }
                mask?.CheckGrid(file, dims);
                featureCount = mask is null ? image.Data.Length : mask.Count * (dims.Length == 4 ? dims[3] : 1);
                values = new float[checked((long)featureCount * table.Count)];
            }
            else if (!image.Dims.SequenceEqual(dims))
            {
                throw new InvalidInputException(
                    $"{file}: shape {string.Join(" × ", image.Dims)} of {table.Describe(r)} (line {table.Table.Lines[r]} of {source.Path}) differs from {string.Join(" × ", dims)} of {firstImage}; images are not resampled.");
            }
            var c = image.ToCOrder();
            if (mask is null)
            {
                Array.Copy(c, 0, values!, (long)r * featureCount, featureCount);
            }
            else
            {
                mask.Apply(c, dims.Length == 4 ? dims[3] : 1, values!, (long)r * featureCount);
            }
        }
        var shape = mask?.SampleShape(dims!) ?? dims!;
        var names = mask?.FeatureNames(dims!) ?? GeneratedNames.ForShape(dims!);
        var annotations = table.Annotations(Enumerable.Range(0, table.Count).ToArray());
        var masked = mask is null ? "" : $", mask {Path.GetFullPath(mask.Path)}";
        return DatasetAssembler.Build(values!, shape, names, annotations, source.Path,
            $"{Path.GetFullPath(source.Path)} (NIfTI images in column {source.PathColumn}{masked})", []);
    }
}
