using System.Globalization;
using System.Text;
using AutoSpec.Files;
using AutoSpec.Record;
using PureHDF;

namespace AutoSpec.Data;

/// <summary>
/// Writes a <see cref="Dataset"/> to files in the layouts <see cref="DatasetLoader"/> reads, so that users see the
/// expected layout and tests can round-trip every loader. Subject tables have the columns subject, label, group.
/// </summary>
internal static class SyntheticDataWriter
{
    /// <summary>Column names of every written subject table.</summary>
    public const string SubjectColumn = "subject", LabelColumn = "label", GroupColumn = "group";

    /// <summary>Wide CSV: subject, label, group, then one column per feature. Returns the file path.</summary>
    public static string WriteWideTable(Dataset data, string directory, string name = "table.csv")
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, name);
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { SubjectColumn, LabelColumn, GroupColumn }.Concat(data.FeatureNames).Select(Quote)).Append('\n');
        for (var i = 0; i < data.SampleCount; i++)
        {
            sb.Append(Quote(data.SubjectIds[i])).Append(',').Append(Quote(data.LabelNames[data.Labels[i]])).Append(',').Append(Quote(data.Groups[i]));
            for (var j = 0; j < data.FeatureCount; j++)
            {
                sb.Append(',').Append(Number(data.Features[(long)i * data.FeatureCount + j]));
            }
            sb.Append('\n');
        }
        Atomic(path, sb.ToString());
        return path;
    }

    /// <summary>
    /// Long CSV: subject, session, label, group, feature, value — one row per sample × feature, sessions numbered
    /// per subject ("ses-1", …). Returns the file path.
    /// </summary>
    public static string WriteLongTable(Dataset data, string directory, string name = "long.csv")
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, name);
        var sb = new StringBuilder($"{SubjectColumn},session,{LabelColumn},{GroupColumn},feature,value\n");
        var sessions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < data.SampleCount; i++)
        {
            var session = "ses-" + (sessions[data.SubjectIds[i]] = sessions.GetValueOrDefault(data.SubjectIds[i]) + 1).ToString(CultureInfo.InvariantCulture);
            var prefix = $"{Quote(data.SubjectIds[i])},{session},{Quote(data.LabelNames[data.Labels[i]])},{Quote(data.Groups[i])},";
            for (var j = 0; j < data.FeatureCount; j++)
            {
                sb.Append(prefix).Append(Quote(data.FeatureNames[j])).Append(',').Append(Number(data.Features[(long)i * data.FeatureCount + j])).Append('\n');
            }
        }
        Atomic(path, sb.ToString());
        return path;
    }

    /// <summary>The subject table (subject, label, group, and optional extra columns) of <paramref name="data"/>.</summary>
    public static string WriteSubjectTable(Dataset data, string directory, string name = "subjects.csv", string? extraColumn = null, IReadOnlyList<string>? extraValues = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, name);
        var sb = new StringBuilder($"{SubjectColumn},{LabelColumn},{GroupColumn}");
        sb.Append(extraColumn is null ? "" : "," + Quote(extraColumn)).Append('\n');
        for (var i = 0; i < data.SampleCount; i++)
        {
            sb.Append(Quote(data.SubjectIds[i])).Append(',').Append(Quote(data.LabelNames[data.Labels[i]])).Append(',').Append(Quote(data.Groups[i]));
            sb.Append(extraValues is null ? "" : "," + Quote(extraValues[i])).Append('\n');
        }
        Atomic(path, sb.ToString());
        return path;
    }

    /// <summary>The samples as one float32 .npy array of shape [samples, …sample shape]. Returns the file path.</summary>
    public static string WriteNpy(Dataset data, string directory, string name = "data.npy")
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, name);
        NpyFile.Write(path, data.Features, [data.SampleCount, .. data.SampleShape.Select(d => (long)d)]);
        return path;
    }

    /// <summary>The samples as one float32 HDF5 dataset <paramref name="datasetPath"/> of shape [samples, …sample shape].</summary>
    public static string WriteHdf5(Dataset data, string directory, string name = "data.h5", string datasetPath = "data")
    {
        ArgumentNullException.ThrowIfNull(data);
        var path = Path.Combine(Directory.CreateDirectory(directory).FullName, name);
        var file = new H5File
        {
            [datasetPath.TrimStart('/')] = new H5Dataset(data.Features, fileDims: [(ulong)data.SampleCount, .. data.SampleShape.Select(d => (ulong)d)]),
        };
        var tmp = path + ".tmp";
        file.Write(tmp);
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// One .nii.gz per sample under <paramref name="imageFolder"/> (named by subject id; 3D or 4D samples) and a
    /// subject table with an "image" column of relative paths. Returns the table's path.
    /// </summary>
    public static string WriteNiftiImages(Dataset data, string directory, float voxelSize = 1f, string imageFolder = "images")
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.SampleShape.Count is not (3 or 4))
        {
            throw new ArgumentException("NIfTI images need 3D or 4D samples", nameof(data));
        }
        var root = Directory.CreateDirectory(directory).FullName;
        Directory.CreateDirectory(Path.Combine(root, imageFolder));
        var dims = data.SampleShape.ToArray();
        var pixdim = dims.Select(_ => voxelSize).ToArray();
        var relative = new string[data.SampleCount];
        for (var i = 0; i < data.SampleCount; i++)
        {
            relative[i] = imageFolder + "/" + data.SubjectIds[i] + ".nii.gz";
            NiftiFile.Write(Path.Combine(root, relative[i]), data.Features.AsSpan(i * data.FeatureCount, data.FeatureCount), dims, pixdim);
        }
        return WriteSubjectTable(data, root, "subjects.csv", "image", relative);
    }

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 && text.Trim() == text ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Number(float v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void Atomic(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }
}
