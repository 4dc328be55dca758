namespace AutoSpec.Data;

/// <summary>
/// The single entry point from user files to a <see cref="Dataset"/>: picks the loader for the format and layout of
/// a <see cref="DataSource"/> (wide, long or image-list table; .npy, HDF5 or NIfTI array with a subject table).
/// </summary>
/// <remarks>
/// Every loader gives the same guarantees: values are finite float32 (a NaN or infinity is an error naming the
/// sample, its subject and the index), at least two classes, a subject id per sample (samples of one subject stay
/// together in <see cref="Training.SubjectKFold"/>), and one-line <see cref="InvalidInputException"/>s naming the
/// file and line, subject or index. Non-fatal findings come back in <see cref="LoadedTable.Warnings"/>.
/// </remarks>
public static class DatasetLoader
{
    /// <summary>Loads the data described by <paramref name="source"/>.</summary>
    /// <exception cref="InvalidInputException">A file, column or option cannot be used; the message says which and why.</exception>
    public static LoadedTable Load(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source.Path))
        {
            throw new InvalidInputException("no data file given.");
        }
        if (string.IsNullOrWhiteSpace(source.LabelColumn))
        {
            throw new InvalidInputException($"{source.Path}: --label is empty; name the column holding the class label.");
        }
        // A configuration file may hold null for a list; it means none, as leaving the key out does.
        source = source with { ExcludeColumns = source.ExcludeColumns ?? [], MissingCodes = source.MissingCodes ?? [] };
        var format = ResolveFormat(source.Path, source.Format);
        CheckOptionsApply(source, format);
        var source2 = format == DataFormat.Tsv && source.Delimiter is null ? source with { Delimiter = '\t' } : source;
        if (format is DataFormat.Csv or DataFormat.Tsv && source.PathColumn is not null && source.PivotColumn is not null)
        {
            throw new InvalidInputException($"{source.Path}: --image-column (image list) and --pivot (long table) exclude each other.");
        }
        var loaded = format switch
        {
            DataFormat.Csv or DataFormat.Tsv => source.PathColumn is not null ? ImageListLoader.Load(source2)
                : source.PivotColumn is not null ? LongTableLoader.Load(source2)
                : LoadWide(source2),
            DataFormat.Npy => ArrayFileLoader.LoadNpy(source),
            DataFormat.Hdf5 => ArrayFileLoader.LoadHdf5(source),
            _ => ArrayFileLoader.LoadNiftiStack(source),
        };
        var sentinels = SentinelCheck.Warnings(loaded.Dataset);
        return sentinels.Count == 0 ? loaded : loaded with { Warnings = [.. loaded.Warnings, .. sentinels] };
    }

    /// <summary>
    /// The format of <paramref name="path"/>: <paramref name="format"/> unless it is <see cref="DataFormat.Auto"/>,
    /// else by extension, a trailing ".gz" ignored: .csv/.txt → Csv, .tsv/.tab → Tsv, .npy → Npy,
    /// .h5/.hdf5/.hdf/.he5/.mat → Hdf5 (MATLAB v7.3 files are HDF5), .nii → Nifti.
    /// </summary>
    /// <exception cref="InvalidInputException">The extension is not one of these.</exception>
    public static DataFormat ResolveFormat(string path, DataFormat format = DataFormat.Auto)
    {
        if (format != DataFormat.Auto)
        {
            return Enum.IsDefined(format) ? format : throw new InvalidInputException($"{path}: unknown format {(int)format}.");
        }
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".csv" or ".txt" => DataFormat.Csv,
            ".tsv" or ".tab" => DataFormat.Tsv,
            ".npy" => DataFormat.Npy,
            ".h5" or ".hdf5" or ".hdf" or ".he5" or ".mat" => DataFormat.Hdf5,
            ".nii" => DataFormat.Nifti,
            var ext => throw new InvalidInputException(
                $"{path}: unknown format{(ext.Length == 0 ? " (no extension)" : $" '{ext}'")}; name the format (csv, tsv, npy, h5, nii)."),
        };
    }

    /// <summary>Parses a format name as the CLI takes it: auto, csv, tsv, npy, h5/hdf5, nii/nifti (any case).</summary>
    /// <exception cref="InvalidInputException">Not one of these.</exception>
    public static DataFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "auto" => DataFormat.Auto,
        "csv" => DataFormat.Csv,
        "tsv" => DataFormat.Tsv,
        "npy" => DataFormat.Npy,
        "h5" or "hdf5" => DataFormat.Hdf5,
        "nii" or "nifti" => DataFormat.Nifti,
        _ => throw new InvalidInputException($"--format: unknown format '{name}' (use auto, csv, tsv, npy, h5 or nii)."),
    };

    /// <summary>An option that the format ignores is a mistake worth saying, not something to skip silently.</summary>
    private static void CheckOptionsApply(DataSource s, DataFormat format)
    {
        var table = format is DataFormat.Csv or DataFormat.Tsv;
        var misplaced = new List<string>();
        void Check(bool given, bool applies, string name)
        {
            if (given && !applies)
            {
                misplaced.Add(name);
            }
        }
        Check(s.SubjectTablePath is not null, !table, nameof(s.SubjectTablePath));
        Check(s.SampleIdsPath is not null, !table, nameof(s.SampleIdsPath));
        Check(s.DatasetPath is not null, format == DataFormat.Hdf5, nameof(s.DatasetPath));
        Check(s.ReverseAxes, format == DataFormat.Hdf5, nameof(s.ReverseAxes));
        Check(s.PivotColumn is not null, table, nameof(s.PivotColumn));
        Check(s.ValueColumn is not null, table, nameof(s.ValueColumn));
        Check(s.PathColumn is not null, table, nameof(s.PathColumn));
        Check(s.FeatureColumns is not null, table && s.PathColumn is null, nameof(s.FeatureColumns));
        var wide = table && s.PathColumn is null && s.PivotColumn is null;
        Check(s.ExcludeColumns.Count > 0, wide, nameof(s.ExcludeColumns));
        Check(s.MissingCodes.Count > 0, wide, nameof(s.MissingCodes));
        Check(s.MissingPolicy is not null, wide, nameof(s.MissingPolicy));
        Check(s.MaskPath is not null, format == DataFormat.Nifti || (table && s.PathColumn is not null), nameof(s.MaskPath));
        if (misplaced.Count > 0)
        {
            throw new InvalidInputException($"{s.Path}: {string.Join(", ", misplaced)} do(es) not apply to {format} data (see docs/DATA.md for what each layout takes).");
        }
    }

    private static LoadedTable LoadWide(DataSource source)
    {
        if (source.SessionColumn is not null)
        {
            throw new InvalidInputException(
                $"{source.Path}: --session applies to long tables and subject tables; in a wide table, repeated subject ids already mark sessions.");
        }
        var groups = source.GroupColumns;
        return DelimitedTableLoader.Load(new DelimitedTableOptions
        {
            Path = source.Path,
            LabelColumn = source.LabelColumn,
            GroupColumn = groups.Count > 0 ? groups[0] : source.LabelColumn,
            AdditionalGroupColumns = groups.Count > 1 ? [.. groups.Skip(1)] : [],
            SubjectColumn = source.SubjectColumn,
            FeatureColumns = source.FeatureColumns,
            ExcludeColumns = source.ExcludeColumns,
            MissingCodes = source.MissingCodes,
            MissingPolicy = source.MissingPolicy,
            Delimiter = source.Delimiter,
        });
    }
}
