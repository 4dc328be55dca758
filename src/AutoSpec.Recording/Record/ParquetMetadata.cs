namespace AutoSpec.Record;

/// <summary>
/// Key-value metadata written into the footer of every Parquet file AutoSpec writes, so that a file read on its own
/// (copied out of its run folder, opened by pandas or DuckDB) says which table it is and which format version its
/// columns follow.
/// </summary>
internal static class ParquetMetadata
{
    /// <summary>Key of the format version (the run folder's <see cref="RunManifest.FormatVersion"/>).</summary>
    public const string FormatVersionKey = "autospec.format_version";

    /// <summary>Key of the table's name (spectra, metrics, group_tests, …).</summary>
    public const string TableKey = "autospec.table";

    /// <summary>Key of the AutoSpec version that wrote the file.</summary>
    public const string VersionKey = "autospec.version";

    /// <summary>The metadata of table <paramref name="table"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(string table) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FormatVersionKey] = RunManifest.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [TableKey] = table,
        [VersionKey] = typeof(ParquetMetadata).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown",
    };
}
