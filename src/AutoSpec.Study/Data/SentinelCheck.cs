using System.Globalization;

namespace AutoSpec.Data;

/// <summary>
/// Warns about features whose minimum or maximum looks like an undeclared missing-value code: one of
/// <see cref="Codes"/>, lying more than <see cref="RobustSds"/> robust standard deviations from the median of the
/// feature's other values (IQ coded −9999 among values near 100). Sites' tables use such sentinels, and one that is
/// not declared with <c>--missing</c> trains as a value.
/// </summary>
internal static class SentinelCheck
{
    /// <summary>Typical codes for a missing value (SPSS, FreeSurfer and site exports).</summary>
    public static readonly IReadOnlyList<double> Codes = [-99999, -9999, -999, -99, -9, -1, 99, 999, 9999, 99999];

    /// <summary>How far (in 1.4826 × MAD of the other values) a code must lie to be suspected.</summary>
    public const double RobustSds = 10;

    /// <summary>Other values needed before their median and spread mean anything.</summary>
    private const int MinOthers = 5;

    private const int MaxDetailed = 10;

    /// <summary>One warning per suspicious feature (at most 10, then one that counts the rest); NaN cells (to impute) are skipped.</summary>
    public static List<string> Warnings(Dataset data)
    {
        var warnings = new List<string>();
        int n = data.SampleCount, f = data.FeatureCount;
        if (n <= MinOthers)
        {
            return warnings;
        }
        var min = new float[f];
        var max = new float[f];
        Array.Fill(min, float.PositiveInfinity);
        Array.Fill(max, float.NegativeInfinity);
        var values = data.Features;
        for (int i = 0; i < n; i++)
        {
            var row = values.AsSpan(i * f, f);
            for (int j = 0; j < f; j++)
            {
                var v = row[j];
                // NaN compares false both ways: cells left to impute do not count.
                if (v < min[j])
                {
                    min[j] = v;
                }
                if (v > max[j])
                {
                    max[j] = v;
                }
            }
        }
        var more = 0;
        for (int j = 0; j < f; j++)
        {
            foreach (var (extreme, which) in new[] { (min[j], "minimum"), (max[j], "maximum") })
            {
                if (!Codes.Contains(extreme) || Suspect(data, j, extreme) is not { } finding)
                {
                    continue;
                }
                if (warnings.Count >= MaxDetailed)
                {
                    more++;
                    continue;
                }
                var code = extreme.ToString(CultureInfo.InvariantCulture);
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{data.Source}: feature {TextTable.Show(data.FeatureNames[j])}: its {which} {code} ({Plural.Of(finding.Count, "sample")}, e.g. subject {TextTable.Show(finding.Subject)}) lies {finding.Distance:0} robust SDs from the median of its other values ({finding.Median:G4}): it looks like a missing-value code; if it is one, declare it (--missing {code}), else ignore this."));
            }
        }
        if (more > 0)
        {
            warnings.Add($"{data.Source}: {Plural.Of(more, "more feature")} whose minimum or maximum looks like a missing-value code in the same way.");
        }
        return warnings;
    }

    private static (int Count, string Subject, double Median, double Distance)? Suspect(Dataset data, int feature, float code)
    {
        int n = data.SampleCount, f = data.FeatureCount;
        var column = new double[n];
        string? subject = null;
        for (int i = 0; i < n; i++)
        {
            column[i] = data.Features[(long)i * f + feature];
            if (column[i] == code)
            {
                subject ??= data.SubjectIds[i];
            }
        }
        return Assess(column, code) is { } a ? (a.Count, subject!, a.Median, a.Distance) : null;
    }

    /// <summary>
    /// Whether <paramref name="code"/> lies more than <see cref="RobustSds"/> robust SDs from the median of the other
    /// values (NaN skipped): how many cells hold it, that median and the distance; null when not (or too few others).
    /// </summary>
    public static (int Count, double Median, double Distance)? Assess(IReadOnlyList<double> values, double code)
    {
        var others = new List<double>(values.Count);
        int count = 0;
        foreach (var v in values)
        {
            if (v == code)
            {
                count++;
            }
            else if (!double.IsNaN(v))
            {
                others.Add(v);
            }
        }
        if (count == 0 || others.Count < MinOthers)
        {
            return null;
        }
        var median = Median(others);
        var spread = 1.4826 * Median(others.Select(v => Math.Abs(v - median)).ToList());
        if (spread == 0)
        {
            // Mostly one value (a 0/1 column): fall back to the standard deviation; none at all says nothing.
            var mean = others.Average();
            spread = Math.Sqrt(others.Sum(v => (v - mean) * (v - mean)) / others.Count);
        }
        if (spread == 0)
        {
            return null;
        }
        var distance = Math.Abs(code - median) / spread;
        return distance > RobustSds ? (count, median, distance) : null;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
