namespace AutoSpec.Data;

/// <summary>Axis reversal of C-ordered arrays: turns column-major storage (NIfTI, MATLAB) into row-major.</summary>
internal static class ArrayAxes
{
    /// <summary>
    /// Copies the C-ordered block of shape <paramref name="shape"/> at <paramref name="source"/>[offset..] into
    /// <paramref name="target"/>[targetOffset..] as the C-ordered block of the reversed shape (element
    /// [i0, …, ik] goes to [ik, …, i0]). Column-major data of shape d is C-ordered data of shape reverse(d), so this
    /// also converts column-major data of shape d to C order.
    /// </summary>
    public static void Reverse(float[] source, long offset, IReadOnlyList<int> shape, float[] target, long targetOffset)
    {
        var k = shape.Count;
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }
        if (k < 2)
        {
            Array.Copy(source, offset, target, targetOffset, count);
            return;
        }
        // Target strides: the reversed shape's C strides, seen from the source axes (source axis a is target axis k-1-a).
        var stride = new long[k];
        long s = 1;
        for (var a = 0; a < k; a++)
        {
            stride[a] = s;
            s *= shape[a];
        }
        var index = new int[k];
        long at = targetOffset;
        for (long i = 0; i < count; i++)
        {
            target[at] = source[offset + i];
            for (var a = k - 1; a >= 0; a--)
            {
                index[a]++;
                at += stride[a];
                if (index[a] < shape[a])
                {
                    break;
                }
                at -= stride[a] * shape[a];
                index[a] = 0;
            }
        }
    }
}
