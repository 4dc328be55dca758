using AutoSpec.Files;
using AutoSpec.Record;

namespace AutoSpec.Data;

/// <summary>
/// Loads one array file holding every sample — .npy or HDF5 with the sample on the first axis, or a NIfTI image with
/// 3D volumes stacked along its fourth axis — and pairs its samples with a subject table (<see cref="SamplePairing"/>).
/// </summary>
internal static class ArrayFileLoader
{
    public static LoadedTable LoadNpy(DataSource source)
    {
        var (values, shape) = NpyFile.ReadAsFloat32(source.Path);
        return FromSampleMajor(source, values, shape, "a .npy array", Path.GetFullPath(source.Path));
    }

    public static LoadedTable LoadHdf5(DataSource source)
    {
        var datasetPath = source.DatasetPath ?? throw new InvalidInputException(
            $"{source.Path}: an HDF5 file needs --dataset, the path of the array inside it; `autospec data inspect {source.Path}` lists them.");
        var (values, shape) = Hdf5Array.Read(source.Path, datasetPath);
        if (source.ReverseAxes && shape.Length > 1)
        {
            var reversed = new float[values.Length];
            ArrayAxes.Reverse(values, 0, shape.Select(d => (int)d).ToArray(), reversed, 0);
            values = reversed;
            shape = [.. shape.Reverse()];
        }
        var reverse = source.ReverseAxes ? ", axes reversed" : "";
        return FromSampleMajor(source, values, shape, "an HDF5 array", $"{Path.GetFullPath(source.Path)}:{datasetPath}{reverse}");
    }

    public static LoadedTable LoadNiftiStack(DataSource source)
    {
        var image = NiftiFile.Read(source.Path);
        if (image.Dims.Length is not (3 or 4))
        {
            throw new InvalidInputException($"{source.Path}: is {string.Join(" × ", image.Dims)}; a stack of volumes is x × y × z × samples.");
        }
        var spatial = image.Dims.Take(3).ToArray();
        var n = image.Dims.Length == 4 ? image.Dims[3] : 1;
        var voxels = spatial[0] * spatial[1] * spatial[2];
        var mask = source.MaskPath is null ? null : VolumeMask.Read(source.MaskPath);
        mask?.CheckGrid(source.Path, spatial);
        var featureCount = mask?.Count ?? voxels;
        var values = new float[(long)n * featureCount];
        var volume = new float[voxels];
        for (var i = 0; i < n; i++)
        {
            // Volume i is contiguous in file order (x fastest); reversing [z, y, x] gives C order of [x, y, z].
            if (mask is null)
            {
                ArrayAxes.Reverse(image.Data, (long)i * voxels, [spatial[2], spatial[1], spatial[0]], values, (long)i * featureCount);
            }
            else
            {
                ArrayAxes.Reverse(image.Data, (long)i * voxels, [spatial[2], spatial[1], spatial[0]], volume, 0);
                mask.Apply(volume, 1, values, (long)i * featureCount);
            }
        }
        var annotations = SamplePairing.Pair(source, n, source.Path, "a NIfTI stack");
        var masked = mask is null ? "" : $", mask {Path.GetFullPath(mask.Path)}";
        return DatasetAssembler.Build(values, mask?.SampleShape(spatial) ?? spatial, mask?.FeatureNames(spatial) ?? GeneratedNames.ForShape(spatial),
            annotations, source.Path, $"{Path.GetFullPath(source.Path)} (NIfTI volumes along axis 4{masked})", []);
    }

    private static LoadedTable FromSampleMajor(DataSource source, float[] values, long[] shape, string what, string description)
    {
        if (shape.Length == 0 || shape[0] == 0)
        {
            throw new InvalidInputException($"{source.Path}: the array has shape ({string.Join(", ", shape)}); the first axis must list at least one sample.");
        }
        if (shape.Skip(1).Any(d => d == 0 || d > int.MaxValue))
        {
            throw new InvalidInputException($"{source.Path}: shape ({string.Join(", ", shape)}) has an empty or oversized axis.");
        }
        if (shape[0] > int.MaxValue)
        {
            throw new InvalidInputException($"{source.Path}: {shape[0]} samples are too many.");
        }
        int[] sampleShape = shape.Length == 1 ? [1] : shape.Skip(1).Select(d => (int)d).ToArray();
        var n = (int)shape[0];
        var annotations = SamplePairing.Pair(source, n, source.Path, what);
        return DatasetAssembler.Build(values, sampleShape, GeneratedNames.ForShape(sampleShape), annotations, source.Path,
            description, []);
    }
}
