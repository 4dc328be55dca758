using System.Globalization;
using System.Text;
using AutoSpec.Files;
using AutoSpec.Record;

namespace AutoSpec.Data;

/// <summary>
/// What a data file holds before any column roles are chosen: tables list their columns (numeric or text, missing
/// cells, distinct values), arrays and images their shape, type, value range and non-finite count, HDF5 files their
/// datasets. For <c>autospec data inspect</c>.
/// </summary>
internal static class FileSummary
{
    private const int MaxColumns = 60;
    private const int MaxLevels = 8;
    private static readonly HashSet<string> MissingMarks = new(["", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "."], StringComparer.Ordinal);

    /// <summary>Several lines describing <paramref name="path"/>, no trailing newline.</summary>
    /// <exception cref="InvalidInputException">The file cannot be read as its format.</exception>
    public static string Describe(string path, DataFormat format = DataFormat.Auto, char? delimiter = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return DatasetLoader.ResolveFormat(path, format) switch
        {
            DataFormat.Csv => Table(path, delimiter),
            DataFormat.Tsv => Table(path, delimiter ?? '\t'),
            DataFormat.Npy => Npy(path),
            DataFormat.Hdf5 => Hdf5(path),
            _ => Nifti(path),
        };
    }

    private static string Table(string path, char? delimiter)
    {
        var t = TextTable.Read(path, delimiter);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{path}: table, {t.Rows.Count} rows × {t.Header.Length} columns\n");
        for (var c = 0; c < t.Header.Length && c < MaxColumns; c++)
        {
            var cells = t.Rows.Select(r => r[c]).ToArray();
            var missing = cells.Count(MissingMarks.Contains);
            var present = cells.Where(v => !MissingMarks.Contains(v)).ToArray();
            var numeric = present.Length > 0 && present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            var distinct = present.Distinct(StringComparer.Ordinal).Count();
            sb.Append(CultureInfo.InvariantCulture, $"  {TextTable.Show(t.Header[c])}: {(numeric ? "numeric" : "text")}, {distinct} distinct, {missing} missing");
            if (numeric)
            {
                var values = present.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                sb.Append(CultureInfo.InvariantCulture, $", range {G(values.Min())} … {G(values.Max())}");
                foreach (var extreme in new[] { values.Min(), values.Max() }.Distinct())
                {
                    if (SentinelCheck.Codes.Contains(extreme) && SentinelCheck.Assess(values, extreme) is { } s)
                    {
                        sb.Append(CultureInfo.InvariantCulture,
                            $" ({G(extreme)} in {s.Count} rows lies {s.Distance:0} robust SDs from the median {G(s.Median)}: a missing-value code? declare it with --missing {G(extreme)})");
                    }
                }
            }
            if (distinct <= MaxLevels)
            {
                sb.Append(": ").AppendJoin(", ", present.CountBy(v => v, StringComparer.Ordinal).OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{TextTable.Show(p.Key)} {p.Value}")));
            }
            sb.Append('\n');
        }
        if (t.Header.Length > MaxColumns)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  … and {t.Header.Length - MaxColumns} more columns\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static string Npy(string path)
    {
        var raw = NpyFile.Read(path);
        var (values, _) = NpyFile.ReadAsFloat32(path);
        return $"{path}: .npy array, dtype '{raw.Descr}', shape ({string.Join(", ", raw.Shape)}), {(raw.FortranOrder ? "Fortran" : "C")} order\n  {Values(values)}";
    }

    private static string Hdf5(string path)
    {
        var sb = new StringBuilder($"{path}: HDF5 file\n");
        var list = Hdf5Array.List(path);
        if (list.Count == 0)
        {
            sb.Append("  no datasets\n");
        }
        foreach (var (name, shape, type) in list)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {name}: {type}, shape ({string.Join(", ", shape)})\n");
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static string Nifti(string path)
    {
        var image = NiftiFile.Read(path);
        return $"{path}: NIfTI-1 image {string.Join(" × ", image.Dims)}, voxel size {string.Join(" × ", image.PixDim.Select(p => G(p)))}, datatype {NiftiFile.DatatypeName(image.Datatype)}\n  {Values(image.Data)}, {image.Data.Count(v => v != 0)} non-zero";
    }

    private static string Values(float[] values)
    {
        var nan = values.Count(float.IsNaN);
        var inf = values.Count(float.IsInfinity);
        var finite = values.Where(float.IsFinite).ToArray();
        var range = finite.Length == 0 ? "no finite values" : $"range {G(finite.Min())} … {G(finite.Max())}, mean {G(finite.Average(v => (double)v))}";
        return string.Create(CultureInfo.InvariantCulture, $"{values.Length} values, {range}, {nan} NaN, {inf} infinite");
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
