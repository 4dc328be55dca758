using PureHDF;

namespace AutoSpec.Data;

/// <summary>Reads one numeric HDF5 dataset as C-ordered float32, with PureHDF (pure .NET, no native HDF5 library).</summary>
public static class Hdf5Array
{
    private const int MaxListed = 8;

    /// <summary>Reads the dataset at <paramref name="datasetPath"/> (e.g. "/tc" or "group/data").</summary>
    /// <returns>The values in C order and the dataset's dimensions (as stored: HDF5 is row-major).</returns>
    /// <exception cref="InvalidInputException">Missing or non-HDF5 file, no such dataset (the message lists the
    /// datasets there are), or a datatype other than integers and floats.</exception>
    public static (float[] Data, long[] Shape) Read(string path, string datasetPath)
    {
        using var file = Open(path);
        var name = datasetPath.StartsWith('/') ? datasetPath : "/" + datasetPath;
        IH5Dataset dataset;
        try
        {
            if (!Exists(file, name) || file.Get(name) is not IH5Dataset found)
            {
                var available = Datasets(file).Take(MaxListed + 1).ToList();
                var listed = available.Count == 0
                    ? "the file holds no datasets"
                    : "datasets: " + string.Join(", ", available.Take(MaxListed)) + (available.Count > MaxListed ? ", …" : "");
                throw new InvalidInputException($"{path}: no dataset at HDF5 path '{name}'; {listed}.");
            }
            dataset = found;
        }
        catch (Exception e) when (e is not InvalidInputException)
        {
            throw new InvalidInputException($"{path}: cannot read HDF5 path '{name}': {e.Message.ReplaceLineEndings(" ")}");
        }

        var type = dataset.Type;
        var shape = CheckedShape(path, name, dataset.Space.Dimensions, type.Size);
        try
        {
            float[] values = (type.Class, type.Size) switch
            {
                (H5DataTypeClass.FloatingPoint, 4) => dataset.Read<float[]>(),
                (H5DataTypeClass.FloatingPoint, 8) => Convert(dataset.Read<double[]>(), v => (float)v),
                (H5DataTypeClass.FixedPoint, var size) => ReadIntegers(dataset, size, type.FixedPoint.IsSigned),
                _ => throw new InvalidInputException(
                    $"{path}: dataset '{name}' has datatype {type.Class} of {type.Size} bytes; only integers and float32/float64 are supported."),
            };
            return (values, shape);
        }
        catch (Exception e) when (e is not InvalidInputException)
        {
            throw new InvalidInputException($"{path}: cannot read dataset '{name}': {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// The dataset's shape, once its declared size is believed: the values must fit in one array, in what the file
    /// can hold (deflate inflates at most about 1032:1; unwritten chunks would be filled in, dense, in memory) and in
    /// the memory available for reading it (the stored values, a copy as float32 and PureHDF's chunk buffers: about
    /// three times the data). A 44 KB file declaring 40 × 10⁵ × 10⁵ values is refused here, before any allocation.
    /// </summary>
    private static long[] CheckedShape(string path, string name, ulong[] dimensions, int elementSize)
    {
        double count = dimensions.Aggregate(1.0, (n, d) => n * d);
        var shown = string.Join(" × ", dimensions);
        if (count > Array.MaxLength)
        {
            throw new InvalidInputException($"{path}: dataset '{name}' declares {shown} = {count:G4} values, too many for one array.");
        }
        double bytes = count * elementSize;
        long fileLength = new FileInfo(path).Length;
        if (bytes > fileLength * 1032.0 + (1 << 20))
        {
            throw new InvalidInputException(
                $"{path}: dataset '{name}' declares {shown} values ({AvailableMemory.Describe(bytes)}), more than a file of {AvailableMemory.Describe(fileLength)} can hold even compressed (damaged, or mostly unwritten chunks).");
        }
        double memory = 2 * bytes + 4 * count;
        long available = AvailableMemory.Bytes();
        if (memory > available)
        {
            throw new InvalidInputException(
                $"{path}: reading dataset '{name}' ({shown}) needs about {AvailableMemory.Describe(memory)} but only {AvailableMemory.Describe(available)} of memory are available.");
        }
        return [.. dimensions.Select(d => (long)d)];
    }

    /// <summary>Paths and shapes of every dataset in the file (depth-first), for summaries.</summary>
    public static IReadOnlyList<(string Path, long[] Shape, string Type)> List(string path)
    {
        using var file = Open(path);
        var result = new List<(string, long[], string)>();
        try
        {
            foreach (var name in Datasets(file))
            {
                var d = file.Dataset(name);
                result.Add((name, d.Space.Dimensions.Select(x => (long)x).ToArray(), $"{d.Type.Class}{8 * d.Type.Size}"));
            }
        }
        catch (Exception e)
        {
            throw new InvalidInputException($"{path}: cannot list the HDF5 file: {e.Message.ReplaceLineEndings(" ")}");
        }
        return result;
    }

    private static NativeFileWrapper Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException(Directory.Exists(path) ? $"{path}: is a directory, not an HDF5 file." : $"{path}: file not found.");
        }
        try
        {
            return new NativeFileWrapper(H5File.OpenRead(path));
        }
        catch (Exception e)
        {
            throw new InvalidInputException($"{path}: not a readable HDF5 file ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }

    private static bool Exists(NativeFileWrapper file, string name)
    {
        // LinkExists wants each parent to exist too.
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var prefix = "";
        foreach (var part in parts)
        {
            prefix += "/" + part;
            if (!file.LinkExists(prefix))
            {
                return false;
            }
        }
        return parts.Length > 0;
    }

    private static IEnumerable<string> Datasets(NativeFileWrapper file)
    {
        var pending = new Stack<(IH5Group Group, string Path)>();
        pending.Push((file.Root, ""));
        while (pending.Count > 0)
        {
            var (group, prefix) = pending.Pop();
            foreach (var child in group.Children().OrderBy(c => c.Name, StringComparer.Ordinal).Reverse())
            {
                var childPath = prefix + "/" + child.Name;
                if (child is IH5Dataset)
                {
                    yield return childPath;
                }
                else if (child is IH5Group g)
                {
                    pending.Push((g, childPath));
                }
            }
        }
    }

    private static float[] ReadIntegers(IH5Dataset dataset, int size, bool signed) => (size, signed) switch
    {
        (1, true) => Convert(dataset.Read<sbyte[]>(), v => v),
        (1, false) => Convert(dataset.Read<byte[]>(), v => v),
        (2, true) => Convert(dataset.Read<short[]>(), v => v),
        (2, false) => Convert(dataset.Read<ushort[]>(), v => v),
        (4, true) => Convert(dataset.Read<int[]>(), v => v),
        (4, false) => Convert(dataset.Read<uint[]>(), v => v),
        (8, true) => Convert(dataset.Read<long[]>(), v => v),
        (8, false) => Convert(dataset.Read<ulong[]>(), v => v),
        _ => throw new InvalidInputException($"{dataset.Name}: integers of {size} bytes are not supported."),
    };

    private static float[] Convert<T>(T[] values, Func<T, float> convert)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }
        return result;
    }

    /// <summary>Keeps the opened file and its root group together so both are disposed.</summary>
    private sealed class NativeFileWrapper(PureHDF.VOL.Native.NativeFile file) : IDisposable
    {
        public IH5Group Root => file;

        public bool LinkExists(string path) => file.LinkExists(path);

        public IH5Object Get(string path) => file.Get(path);

        public IH5Dataset Dataset(string path) => file.Dataset(path);

        public void Dispose() => file.Dispose();
    }
}
