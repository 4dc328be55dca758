using System.Diagnostics;
using AutoSpec.Data;
using AutoSpec.Training;

namespace AutoSpec.Analyse;

/// <summary>
/// The product's own accuracy figures (DESIGN.md: "Validate with planted effects … and with nulls"): trains several
/// small runs on the built-in Gaussian mixture per analysis, analyses them exactly as <c>autospec analyze</c> does,
/// and counts the analyses that report any FDR-significant group difference — power when an effect is planted, the
/// false-positive rate when none is.
/// </summary>
public static class ValidationExperiment
{
    /// <summary>Runs every analysis of every condition; run folders go under <paramref name="directory"/>.</summary>
    public static List<ValidationAnalysisRow> Run(ValidationOptions options, string directory,
        Action<ValidationAnalysisRow>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var rows = new List<ValidationAnalysisRow>();
        for (int c = 0; c < options.Conditions.Count; c++)
        {
            var effect = options.Conditions[c];
            string condition = Name(effect);
            for (int a = 0; a < options.Analyses; a++)
            {
                var clock = Stopwatch.StartNew();
                var folders = new List<string>();
                var seeds = new List<int>();
                string? error = null;
                for (int r = 0; r < options.Runs && error is null; r++)
                {
                    cancel.ThrowIfCancellationRequested();
                    int seed = options.FirstSeed + (c * options.Analyses + a) * options.Runs + r;
                    var folder = Path.Combine(directory, condition, $"analysis-{a:D3}", $"seed-{seed}");
                    var config = Configuration(options, effect, seed, folder);
                    seeds.Add(seed);
                    try
                    {
                        Trainer.Run(config, GaussianMixtureGenerator.Generate(config.Data.Synthetic), [], cancel: cancel);
                        folders.Add(folder);
                    }
                    catch (Exception e) when (e is not (InvalidInputException or OperationCanceledException))
                    {
                        // One crashed training must not void hours of experiment: the analysis is reported as
                        // failed (its run folder says why) and left out of the rates.
                        error = $"seed {seed}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
                    }
                }
                if (error is not null)
                {
                    var failed = new ValidationAnalysisRow(condition, a, string.Join(";", seeds), 0, 0, null, false,
                        clock.Elapsed.TotalSeconds, error);
                    rows.Add(failed);
                    progress?.Invoke(failed);
                    continue;
                }
                var runs = RunSet.Load(folders, includeIncomplete: false);
                var result = GroupComparison.Run(runs, options.Analysis);
                var tested = result.Tests.Where(t => t.P is not null).ToList();
                var row = new ValidationAnalysisRow(condition, a, string.Join(";", seeds), tested.Count,
                    tested.Count(t => t.Significant), tested.Count > 0 ? tested.Min(t => t.PAdjusted) : null,
                    tested.Any(t => t.Significant), clock.Elapsed.TotalSeconds);
                rows.Add(row);
                progress?.Invoke(row);
            }
        }
        return rows;
    }

    /// <summary>snake_case name of a condition, as in the manifest.</summary>
    public static string Name(PlantedEffect effect) => effect switch
    {
        PlantedEffect.None => "none",
        PlantedEffect.MeanShift => "mean_shift",
        _ => "noise",
    };

    private static RunConfiguration Configuration(ValidationOptions o, PlantedEffect effect, int seed, string folder)
    {
        var c = new RunConfiguration();
        return c with
        {
            Data = c.Data with
            {
                Synthetic = c.Data.Synthetic with { Samples = o.Samples, Effect = effect, EffectSize = o.EffectSize, Seed = seed },
            },
            // One TorchSharp thread: these networks are tiny, and on few cores more threads only contend (about 5×
            // slower on 2 cores). Thread count is not part of the experiment (RunSet.ReplicateKeys).
            Training = c.Training with { Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = seed, Threads = 1 },
            Introspection = c.Introspection with
            {
                Quantities = Spectra.SpectrumQuantityNames.Parse(string.Join(",", o.Analysis.Quantities)),
                WeightEveryEpochs = 0,
            },
            Out = folder,
            Overwrite = true,
        };
    }
}
