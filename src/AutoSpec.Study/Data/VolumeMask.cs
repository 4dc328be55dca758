namespace AutoSpec.Data;

/// <summary>
/// A brain mask: the voxels (C order of [x, y, z]) where a 3D NIfTI image is non-zero. Masking turns a volume into
/// the vector of its in-mask voxels, or a 4D image into in-mask voxels × time points.
/// </summary>
internal sealed class VolumeMask
{
    private readonly int[] _inside;

    private VolumeMask(string path, int[] dims, int[] inside)
    {
        Path = path;
        Dims = dims;
        _inside = inside;
    }

    public string Path { get; }

    /// <summary>[x, y, z] of the mask grid.</summary>
    public int[] Dims { get; }

    /// <summary>Number of in-mask voxels.</summary>
    public int Count => _inside.Length;

    public static VolumeMask Read(string path)
    {
        var image = NiftiFile.Read(path);
        if (image.Dims.Length != 3)
        {
            throw new InvalidInputException($"{path}: a mask must be 3D, but this image is {string.Join(" × ", image.Dims)}.");
        }
        var values = image.ToCOrder();
        var inside = Enumerable.Range(0, values.Length).Where(i => values[i] != 0 && !float.IsNaN(values[i])).ToArray();
        if (inside.Length == 0)
        {
            throw new InvalidInputException($"{path}: the mask has no non-zero voxel.");
        }
        return new VolumeMask(path, image.Dims, inside);
    }

    /// <summary>Shape of a masked sample of an image with dims <paramref name="imageDims"/>: [voxels] or [voxels, t].</summary>
    public int[] SampleShape(int[] imageDims) => imageDims.Length == 4 ? [Count, imageDims[3]] : [Count];

    /// <summary>Feature names "x_y_z" (or "x_y_z_t") of the masked voxels.</summary>
    public IReadOnlyList<string> FeatureNames(int[] imageDims)
    {
        var t = imageDims.Length == 4 ? imageDims[3] : 1;
        return new GeneratedNames(Count * t, j =>
        {
            var v = GeneratedNames.Unravel(_inside[j / t], Dims);
            return imageDims.Length == 4 ? $"v{v[0]}_{v[1]}_{v[2]}_{j % t}" : $"v{v[0]}_{v[1]}_{v[2]}";
        });
    }

    /// <summary>Checks that an image of <paramref name="imageDims"/> lies on the mask's grid.</summary>
    public void CheckGrid(string imagePath, int[] imageDims)
    {
        if (imageDims.Length < 3 || imageDims[0] != Dims[0] || imageDims[1] != Dims[1] || imageDims[2] != Dims[2])
        {
            throw new InvalidInputException(
                $"{imagePath}: grid {string.Join(" × ", imageDims.Take(3))} differs from the mask {Path} ({string.Join(" × ", Dims)}); images are not resampled.");
        }
    }

    /// <summary>Copies the in-mask values of a C-ordered [x, y, z(, t)] sample into <paramref name="target"/> at <paramref name="offset"/>.</summary>
    public void Apply(float[] sample, int timePoints, float[] target, long offset)
    {
        for (var v = 0; v < _inside.Length; v++)
        {
            Array.Copy(sample, (long)_inside[v] * timePoints, target, offset + (long)v * timePoints, timePoints);
        }
    }
}
