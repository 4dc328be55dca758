namespace AutoSpec.Data;

/// <summary>
/// A NIfTI-1 image as read by <see cref="NiftiFile.Read"/>: the grid size, voxel size, the stored datatype and the
/// voxel values as float32 after scaling (value × scl_slope + scl_inter when scl_slope is non-zero).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Dims">dim[1..dim[0]]: e.g. [x, y, z] or [x, y, z, t]; trailing 1s beyond the third axis are dropped.</param>
/// <param name="PixDim">pixdim[1..dim[0]] (voxel size in mm, TR in seconds for the fourth axis), as many as <paramref name="Dims"/>.</param>
/// <param name="Datatype">The NIfTI datatype code as stored (2 uint8, 4 int16, 8 int32, 16 float32, 64 float64, …).</param>
/// <param name="Data">Values in file order: x fastest, then y, z, t (column-major).</param>
internal sealed record NiftiImage(string Path, int[] Dims, float[] PixDim, short Datatype, float[] Data)
{
    /// <summary>The values in C order of <see cref="Dims"/> (last axis fastest), as NumPy/nibabel index them: [x, y, z(, t)].</summary>
    public float[] ToCOrder()
    {
        var result = new float[Data.Length];
        ArrayAxes.Reverse(Data, 0, Dims.Reverse().ToArray(), result, 0);
        return result;
    }
}
