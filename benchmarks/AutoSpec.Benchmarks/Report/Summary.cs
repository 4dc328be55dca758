using System.Globalization;

namespace AutoSpec.Benchmarks.Report;

/// <summary>Minimum, median and maximum of repeated measurements.</summary>
internal sealed record Summary(double Min, double Median, double Max, int Count)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0)
        {
            return new Summary(double.NaN, double.NaN, double.NaN, 0);
        }
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
        return new Summary(v[0], median, v[^1], v.Length);
    }

    /// <summary>"median (min–max)" with the given number format.</summary>
    public string Format(string format) => string.Create(CultureInfo.InvariantCulture,
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})");
}
