using System.Diagnostics;
using System.Globalization;
using AutoSpec.Benchmarks.Models;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// What <c>--precision single</c> costs in accuracy and gains in time, per zoo model: over one epoch of training
/// (Adam 1e-4 on the model's batches), every step's factors of every layer get their spectra of G, A and Δ of every
/// group computed by the auto route in float64 and in float32; reported are the largest error of any σ_k relative
/// to its spectrum's σ₁, the largest error of σ_k² relative to σ₁², the largest relative error of every metric of
/// metrics.parquet, and the time of both (fastest of three per step, summed over the epoch).
/// </summary>
internal static class PrecisionBenchmark
{
    private const SpectrumQuantities Quantities = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta;

    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        var table = new MarkdownTable("model", "spectra compared", "max |σ_k − σ̂_k| / σ₁", "max |σ_k² − σ̂_k²| / σ₁²",
            "worst metric: max relative error", "every metric's max relative error", "float64 ms/step", "float32 ms/step");
        foreach (var name in s.Models)
        {
            using var spec = BenchmarkModels.Create(name, s.StepsPerEpoch);
            if (spec.Pending is not null)
            {
                continue;
            }
            log.WriteLine($"[precision] {spec.Description}");
            var m = Measure(spec, s.StepsPerEpoch);
            var worst = m.MetricErrors.MaxBy(kv => kv.Value);
            table.Add(spec.Description, m.Spectra.ToString(CultureInfo.InvariantCulture), E(m.MaxSigma), E(m.MaxSquared),
                $"{worst.Key} {E(worst.Value)}", string.Join("; ", m.MetricErrors.Select(kv => $"{kv.Key} {E(kv.Value)}")),
                (m.DoubleMs / s.StepsPerEpoch).ToString("F2", CultureInfo.InvariantCulture),
                (m.SingleMs / s.StepsPerEpoch).ToString("F2", CultureInfo.InvariantCulture));
        }
        return "Float32 against float64 spectra of the same factors (auto route, G, A and Δ of every group and layer, every " +
            $"step of one {s.StepsPerEpoch}-step epoch of training; metrics with K = 5; a metric's error is relative to its " +
            $"float64 value, skipped where that is below 1e-12 in magnitude):\n\n{table}";
    }

    private static string E(double x) => x.ToString("0.0e+0", CultureInfo.InvariantCulture);

    private sealed record Errors(int Spectra, double MaxSigma, double MaxSquared, SortedDictionary<string, double> MetricErrors,
        double DoubleMs, double SingleMs);

    private static Errors Measure(IBenchmarkModel spec, int steps)
    {
        torch.random.manual_seed(7);
        using var model = spec.CreateModel();
        model.train();
        using var optimizer = new Training.HeldScalarAdam(model.parameters(), 1e-4);
        using var capture = ModelCapture.Attach(model);
        var f64 = new GroupSpectraCalculator(SpectrumRoute.Auto, Quantities, SpectrumPrecision.Double);
        var f32 = new GroupSpectraCalculator(SpectrumRoute.Auto, Quantities, SpectrumPrecision.Single);
        int compared = 0;
        double maxSigma = 0, maxSquared = 0, doubleMs = 0, singleMs = 0;
        var metricErrors = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int step = 0; step < steps; step++)
        {
            var batch = spec.Batch(step);
            List<LayerFactors> factors;
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                capture.Enabled = true;
                nn.functional.cross_entropy(model.call(batch.Inputs), batch.Labels).backward();
                capture.Enabled = false;
                factors = capture.TakeFactors(batch.SampleGroup.Length);
                optimizer.step();
            }
            capture.Clear();
            foreach (var f in factors)
            {
                using (f)
                {
                    var partition = RowPartition.Create(f.RowSample, batch.SampleGroup, spec.GroupNames);
                    var (reference, ms64) = Fastest(() => f64.Compute(f, partition));
                    var (single, ms32) = Fastest(() => f32.Compute(f, partition));
                    doubleMs += ms64;
                    singleMs += ms32;
                    for (int g = 0; g < reference.Count; g++)
                    {
                        foreach (var (x, y) in new[] { (reference[g].Grad, single[g].Grad), (reference[g].Act, single[g].Act), (reference[g].Delta, single[g].Delta) })
                        {
                            if (x is null || y is null || x.Length == 0 || x[0] == 0)
                            {
                                continue;
                            }
                            compared++;
                            double s1 = x[0];
                            for (int k = 0; k < Math.Max(x.Length, y.Length); k++)
                            {
                                double a = k < x.Length ? x[k] : 0, b = k < y.Length ? y[k] : 0;
                                maxSigma = Math.Max(maxSigma, Math.Abs(a - b) / s1);
                                maxSquared = Math.Max(maxSquared, Math.Abs((a * a) - (b * b)) / (s1 * s1));
                            }
                            Compare(SpectrumSummary.Of(x, 5), SpectrumSummary.Of(y, 5), metricErrors);
                        }
                    }
                }
            }
        }
        return new Errors(compared, maxSigma, maxSquared, metricErrors, doubleMs, singleMs);
    }

    private static void Compare(SpectrumSummary reference, SpectrumSummary single, SortedDictionary<string, double> errors)
    {
        foreach (var metric in SpectralMetrics.Columns)
        {
            // Size-normalised metrics are the same value times N/n_g in both precisions: their raw form is compared.
            if (metric.Of(reference, 1.0) is not double a || metric.Of(single, 1.0) is not double b || Math.Abs(a) < 1e-12)
            {
                continue;
            }
            double error = Math.Abs(a - b) / Math.Abs(a);
            errors[metric.Name] = Math.Max(errors.GetValueOrDefault(metric.Name), error);
        }
    }

    private static (List<GroupSpectra> Spectra, double Ms) Fastest(Func<List<GroupSpectra>> compute)
    {
        List<GroupSpectra>? result = null;
        double best = double.PositiveInfinity;
        for (int r = 0; r < 3; r++)
        {
            long start = Stopwatch.GetTimestamp();
            result = compute();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return (result!, best);
    }
}
