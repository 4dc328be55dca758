using System.Collections;
using System.Globalization;

namespace AutoSpec.Data;

/// <summary>
/// A read-only list of names computed on demand. Arrays and volumes have tens of thousands of features; their names
/// (index tuples) are only needed when someone looks, so they are not stored.
/// </summary>
internal sealed class GeneratedNames(int count, Func<int, string> name) : IReadOnlyList<string>
{
    public string this[int index] => (uint)index < (uint)count ? name(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => count;

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return name(i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Names "v" + the C-order index tuple joined by '_' (e.g. "v2_17" in a components × time array).</summary>
    public static GeneratedNames ForShape(IReadOnlyList<int> shape)
    {
        var total = shape.Aggregate(1, (a, b) => checked(a * b));
        return new GeneratedNames(total, i => "v" + string.Join('_', Unravel(i, shape)));
    }

    /// <summary>The C-order index tuple of flat index <paramref name="flat"/> in <paramref name="shape"/>.</summary>
    public static int[] Unravel(long flat, IReadOnlyList<int> shape)
    {
        var index = new int[shape.Count];
        for (var k = shape.Count - 1; k >= 0; k--)
        {
            index[k] = (int)(flat % shape[k]);
            flat /= shape[k];
        }
        return index;
    }

    /// <summary>"(2, 17)" for messages.</summary>
    public static string Tuple(long flat, IReadOnlyList<int> shape) =>
        "(" + string.Join(", ", Unravel(flat, shape).Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")";
}
