using System.Diagnostics;
using AutoSpec.Analyse;
using AutoSpec.Data;
using AutoSpec.Spectra;
using AutoSpec.Training;

namespace AutoSpec.Validation;

/// <summary>
/// The product's own accuracy figures (DESIGN.md: "Validate with planted effects … and with nulls"): per scenario,
/// trains the runs of each analysis on data where the truth is known, analyses them exactly as
/// <c>autospec analyze</c> does by default, and counts the analyses that report any FDR-significant group
/// difference — the false-positive rate in a null scenario, the power with a planted effect.
/// </summary>
internal static class ValidationExperiment
{
    /// <summary>Runs every analysis of every scenario; run folders go under <paramref name="directory"/>.</summary>
    public static List<ValidationAnalysisRow> Run(ValidationOptions options, string directory,
        Action<ValidationAnalysisRow>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var study = options.Scenarios.Any(s => s.Relabelled) ? DatasetLoader.Load(options.Study!.Data.Source!) : null;
        var rows = new List<ValidationAnalysisRow>();
        for (int c = 0; c < options.Scenarios.Count; c++)
        {
            var scenario = options.Scenarios[c];
            for (int a = 0; a < options.Analyses; a++)
            {
                cancel.ThrowIfCancellationRequested();
                int first = options.FirstSeed + 10 * (c * options.Analyses + a);
                var row = Analyse(options, scenario, study, a, first, Path.Combine(directory, Folder(scenario.Name), $"analysis-{a:D3}"), cancel);
                rows.Add(row);
                progress?.Invoke(row);
            }
        }
        return rows;
    }

    private static ValidationAnalysisRow Analyse(ValidationOptions options, ValidationScenario scenario, LoadedTable? study,
        int analysis, int firstSeed, string folder, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var seeds = Enumerable.Range(firstSeed, scenario.Runs).ToList();
        try
        {
            var folders = new List<string>();
            foreach (int seed in seeds)
            {
                cancel.ThrowIfCancellationRequested();
                var run = Path.Combine(folder, $"seed-{seed}");
                if (scenario.Relabelled)
                {
                    var config = options.Study! with
                    {
                        Training = options.Study!.Training with { Seed = seed },
                        Introspection = options.Study.Introspection with { Permutations = options.Permutations },
                        Out = run,
                        Overwrite = true,
                        RunId = null,
                    };
                    Trainer.Run(config, Relabel(study!.Dataset, firstSeed), study.Warnings, cancel: cancel);
                }
                else
                {
                    var config = Synthetic(options, scenario, seed, scenario.FixedData ? firstSeed : seed, run);
                    Trainer.Run(config, GaussianMixtureGenerator.Generate(config.Data.Synthetic), [], cancel: cancel);
                }
                folders.Add(run);
            }
            var result = AnalysisResult.Of(RunSet.Load(folders, includeIncomplete: false), options.Analysis);
            var tested = result.Tests.Where(t => t.P is not null).ToList();
            if (tested.Count == 0)
            {
                throw new InvalidOperationException("the analysis has no subject-level test with a p-value");
            }
            return new ValidationAnalysisRow(scenario.Name, analysis, string.Join(";", seeds), tested.Count,
                tested.Count(t => t.Significant), tested.Min(t => t.PAdjusted), tested.Any(t => t.Significant), clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed analysis is reported with its error and stays in the denominator (ValidationSummary).
            return new ValidationAnalysisRow(scenario.Name, analysis, string.Join(";", seeds), 0, 0, null, false,
                clock.Elapsed.TotalSeconds, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>
    /// The data set with group labels drawn at random per subject (a seeded shuffle of the subjects' real labels, so
    /// the real group sizes are kept): a null with real features, labels and sample structure.
    /// </summary>
    public static Dataset Relabel(Dataset data, int seed)
    {
        var subjects = data.SubjectIds.Distinct(StringComparer.Ordinal).ToList();
        var firstGroup = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < data.SampleCount; i++)
        {
            firstGroup.TryAdd(data.SubjectIds[i], data.Groups[i]);
        }
        var labels = subjects.Select(s => firstGroup[s]).ToArray();
        new Random(seed).Shuffle(labels);
        var drawn = subjects.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => labels[p.i], StringComparer.Ordinal);
        return new Dataset(data.Features, data.FeatureCount, data.Labels, data.LabelNames,
            data.SubjectIds.Select(s => drawn[s]).ToArray(), data.FeatureNames, data.SubjectIds,
            $"{data.Source} (groups relabelled at random, seed {seed})", data.SampleShape);
    }

    private static string Folder(string scenario) => scenario.Replace(':', '-');

    private static RunConfiguration Synthetic(ValidationOptions o, ValidationScenario scenario, int seed, int dataSeed, string folder)
    {
        var c = new RunConfiguration();
        return c with
        {
            Data = c.Data with
            {
                Synthetic = c.Data.Synthetic with
                {
                    Samples = o.Samples,
                    Effect = scenario.Effect,
                    EffectSize = o.EffectSize,
                    GroupFractions = scenario.GroupFractions,
                    Seed = dataSeed,
                },
            },
            // One TorchSharp thread: these networks are tiny, and on few cores more threads only contend.
            Training = c.Training with { Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = seed, Threads = 1 },
            Introspection = c.Introspection with
            {
                Quantities = SpectrumQuantities.Grad,
                WeightEveryEpochs = 0,
                Permutations = o.Permutations,
            },
            Out = folder,
            Overwrite = true,
        };
    }
}
