using AutoSpec.Spectra;

namespace AutoSpec.Permutation;

/// <summary>
/// Within one run, the exact test of DESIGN.md: permute the group labels over subjects (group sizes kept) and
/// recompute the group spectra of every step of a window from its cached Gram blocks. The statistic is the mean over
/// steps of metric(G_B) − metric(G_A) for a metric of <see cref="Metrics"/>; per-sample σ₁ and Frobenius norm use
/// the factor N/n_g of a mean-reduced loss. The relabellings come from <see cref="SubjectRelabelling"/>: all of them
/// when there are at most <c>permutations</c>, otherwise a seeded sample; p as in <see cref="PermutationResult.Of"/>.
/// </summary>
/// <remarks>Written by hand: a permutation test over cached Gram blocks is specific to this method.</remarks>
internal static class GramPermutationTest
{
    /// <summary>Metrics the statistic can use (<see cref="SpectralMetric.Permutable"/>).</summary>
    public static readonly IReadOnlyList<string> Metrics = [.. SpectralMetrics.Permutable.Select(m => m.Name)];

    /// <summary>
    /// Metrics whose statistic needs no eigendecomposition per relabelling (cheap enough for thousands of
    /// relabellings during training).
    /// </summary>
    public static readonly IReadOnlyList<string> CheapMetrics = [.. SpectralMetrics.Permutable.Where(m => m.Cheap).Select(m => m.Name)];

    /// <summary>Refuses any metric that is not one of <see cref="Metrics"/>.</summary>
    /// <param name="metrics">The metrics to check.</param>
    /// <param name="paramName">
    /// Name of the option or parameter that gave them, for <see cref="ArgumentException.ParamName"/> (e.g.
    /// "Introspection.PermutationMetric"; <c>nameof(metrics)</c> when the caller passes its own argument on).
    /// </param>
    /// <exception cref="ArgumentException">An unknown metric; the message begins with <paramref name="paramName"/>.</exception>
    public static void CheckMetrics(IEnumerable<string> metrics, string paramName)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var m in metrics)
        {
            if (!Metrics.Contains(m))
            {
                throw new ArgumentException($"{paramName}: unknown metric '{m}'; use any of {string.Join(", ", Metrics)}.", paramName);
            }
        }
    }

    /// <summary>
    /// Runs the test over a window of steps, relabelling the subjects seen in it (the universe is the window: use
    /// <see cref="RunPairs"/> to relabel over a data set's subjects).
    /// </summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="inB">Observed label of every subject: true = group B, false = group A.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="permutations">Largest number of relabellings to evaluate.</param>
    /// <param name="seed">Seed of the Monte-Carlo relabellings.</param>
    public static PermutationResult Run(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric,
        int permutations = 1000, int seed = 0)
    {
        var seen = window.SelectMany(s => s.Subjects).ToHashSet();
        var groups = Enumerable.Range(0, inB.Count).Select(s => !seen.Contains(s) ? -1 : inB[s] ? 1 : 0).ToArray();
        var relabelling = SubjectRelabelling.Of(groups, 0, 1, "A", "B", permutations, seed);
        return Run(window, inB, Enumerable.Range(0, inB.Count).ToArray(), relabelling, metric, shared: false);
    }

    /// <summary>Runs the test over a window with the given relabellings.</summary>
    /// <param name="window">Cached steps (one layer), restricted to the pair's subjects.</param>
    /// <param name="inB">Observed label of every window subject.</param>
    /// <param name="windowToUniverse">Universe subject of every window subject.</param>
    /// <param name="relabelling">The relabellings.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="shared">Whether the relabellings are the run's shared ones (<see cref="PermutationResult.Shared"/>).</param>
    public static PermutationResult Run(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, IReadOnlyList<int> windowToUniverse,
        SubjectRelabelling relabelling, string metric, bool shared)
    {
        CheckMetrics([metric], nameof(metric));
        var (observed, steps) = Statistic(window, inB, metric);
        if (observed is null)
        {
            return PermutationResult.None;
        }
        var nulls = new double[relabelling.Count];
        // Each relabelling's statistic goes to its own slot: the result does not depend on the order of evaluation.
        Parallel.For(0, relabelling.Count, k =>
        {
            var (t, _) = Statistic(window, relabelling.InB(k, windowToUniverse), metric);
            nulls[k] = t ?? double.NaN;
        });
        return PermutationResult.Of(observed.Value, steps, nulls, relabelling.Exact, relabelling.Seed, shared);
    }

    /// <summary>
    /// Every pair of groups (a &lt; b in group order) seen in the window, each tested on its own: only the two groups'
    /// subjects are kept, and their labels are permuted over the universe's subjects of the two groups (their sizes
    /// kept); the statistic is metric(b) − metric(a). Pairs rather than one omnibus test, so that a result names the
    /// groups that differ; the caller corrects over the whole family.
    /// </summary>
    /// <param name="window">Cached steps (one layer).</param>
    /// <param name="subjectGroup">Group index of every window subject; negative = left out of every pair.</param>
    /// <param name="windowToUniverse">Universe subject of every window subject.</param>
    /// <param name="relabellings">Relabellings of pair (a, b), built once per run (see <see cref="SubjectRelabelling.Of"/>).</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="shared">Whether the relabellings are the run's shared ones (<see cref="PermutationResult.Shared"/>).</param>
    public static IReadOnlyList<PairPermutationResult> RunPairs(IReadOnlyList<GramStep> window, IReadOnlyList<int> subjectGroup,
        IReadOnlyList<int> windowToUniverse, Func<int, int, SubjectRelabelling> relabellings, int groups, string metric, bool shared)
    {
        var seen = window.SelectMany(s => s.Subjects).Distinct().ToArray();
        var results = new List<PairPermutationResult>();
        for (int a = 0; a < groups; a++)
        {
            for (int b = a + 1; b < groups; b++)
            {
                int na = seen.Count(s => subjectGroup[s] == a), nb = seen.Count(s => subjectGroup[s] == b);
                if (na == 0 || nb == 0)
                {
                    continue;
                }
                var keep = subjectGroup.Select(g => g == a || g == b).ToArray();
                var inB = subjectGroup.Select(g => g == b).ToArray();
                var restricted = window.Select(s => s.Restrict(keep)).ToList();
                var relabelling = relabellings(a, b);
                var result = Run(restricted, inB, windowToUniverse, relabelling, metric, shared);
                results.Add(new PairPermutationResult(a, b, na, nb, relabelling.UniverseA, relabelling.UniverseB, result));
            }
        }
        return results;
    }

    /// <summary>Mean over steps (where both groups have rows) of metric(B) − metric(A).</summary>
    internal static (double? Value, int Steps) Statistic(IReadOnlyList<GramStep> window, IReadOnlyList<bool> inB, string metric)
    {
        var m = SpectralMetrics.Find(metric) is { Permutable: true } found ? found
            : throw new ArgumentException($"metric '{metric}' has no permutation statistic", nameof(metric));
        var labels = inB as bool[] ?? [.. inB];
        bool[]? inA = null;
        Func<bool[]> complement = () => inA ??= [.. labels.Select(x => !x)];
        double sum = 0;
        int steps = 0;
        foreach (var step in window)
        {
            if (m.Difference(step, labels, complement) is not double difference)
            {
                continue;
            }
            sum += difference;
            steps++;
        }
        return steps == 0 ? (null, 0) : (sum / steps, steps);
    }
}
