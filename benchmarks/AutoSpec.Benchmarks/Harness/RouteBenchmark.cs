using System.Diagnostics;
using System.Globalization;
using System.Text;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// The spectrum routes alone, on the factors of one Linear layer (p = q, n rows, two groups plus "all"; spectra of
/// G, A and Δ): time per step of every forced route and of Auto, and the speed-up over the naive route of the
/// original research code (mask rows, form the full gradient, full SVD). Routes are interleaved within each
/// repetition. The factors come from a real forward/backward pass through the product's capture.
/// </summary>
internal static class RouteBenchmark
{
    private static readonly SpectrumRoute[] Routes =
        [SpectrumRoute.Naive, SpectrumRoute.Qr, SpectrumRoute.Gram, SpectrumRoute.Direct, SpectrumRoute.Auto];

    private const SpectrumQuantities Quantities = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta;

    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var table = new MarkdownTable("p = q", "n", "route", "ms/step median (min–max)", "speed-up over naive", "reps");
        var calibration = new StringBuilder();
        foreach (int p in s.RouteSizes)
        {
            foreach (int n in s.RouteRows)
            {
                using var factors = MakeFactors(n, p, p, seed: p + n);
                int[] sampleGroup = BalancedGroups(n, seed: n);
                var partition = RowPartition.Create(factors.RowSample, sampleGroup, ["A", "B"]);
                var times = Routes.ToDictionary(r => r, _ => new List<double>());
                var chosen = new HashSet<string>();
                bool formingIsSlow = p >= 2048;
                for (int rep = -1; rep < s.RouteReps; rep++) // rep -1: warm-up, not recorded
                {
                    foreach (var route in Routes)
                    {
                        // Naive and direct form and decompose p×q matrices: at p ≥ 2048 a few timings suffice.
                        if (route is SpectrumRoute.Naive or SpectrumRoute.Direct && formingIsSlow && (rep < 0 || rep >= s.NaiveLargeReps))
                        {
                            continue;
                        }
                        var calculator = new GroupSpectraCalculator(route, Quantities);
                        long start = Stopwatch.GetTimestamp();
                        var spectra = calculator.Compute(factors, partition);
                        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        if (rep >= 0)
                        {
                            times[route].Add(ms);
                        }
                        if (route == SpectrumRoute.Auto)
                        {
                            chosen.UnionWith(spectra.Select(x => x.Route.ToString().ToLowerInvariant()));
                        }
                    }
                }
                double naive = Summary.Of(times[SpectrumRoute.Naive]).Median;
                foreach (var route in Routes)
                {
                    var t = Summary.Of(times[route]);
                    string name = route == SpectrumRoute.Auto ? $"auto → {string.Join("+", chosen.Order())}" : route.ToString().ToLowerInvariant();
                    table.Add(p.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture), name,
                        t.Format(t.Median < 10 ? "F3" : "F1"), route == SpectrumRoute.Naive ? "1" : (naive / t.Median).ToString("F0", CultureInfo.InvariantCulture) + "×",
                        t.Count.ToString(CultureInfo.InvariantCulture));
                    calibration.AppendLine(string.Create(CultureInfo.InvariantCulture,
                        $"{p},{n},{route.ToString().ToLowerInvariant()},{t.Median:F4}"));
                }
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[routes] p=q={p} n={n}: {string.Join(", ", Routes.Select(r => $"{r} {Summary.Of(times[r]).Median:F2} ms"))}"));
            }
        }
        return $"{table}\nRaw medians (p, n, route, ms) for calibrating RouteCostModel:\n\n```\n{calibration}```\n";
    }

    /// <summary>The factors of a Linear(p, q) layer for a batch of n random inputs and random adjoints.</summary>
    private static LayerFactors MakeFactors(int n, int p, int q, int seed)
    {
        torch.random.manual_seed(seed);
        using var layer = nn.Linear(p, q);
        using var capture = ModelCapture.Attach(layer);
        capture.Enabled = true;
        using var scope = NewDisposeScope();
        var a = randn(n, p);
        var d = randn(n, q);
        (layer.call(a) * d).sum().backward();
        var factors = capture.TakeFactors().Single();
        capture.Clear();
        return factors;
    }

    /// <summary>Half the samples in each group, in random order.</summary>
    private static int[] BalancedGroups(int n, int seed)
    {
        var groups = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        new Random(seed).Shuffle(groups);
        return groups;
    }
}
