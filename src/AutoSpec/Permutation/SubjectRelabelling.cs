namespace AutoSpec.Permutation;

/// <summary>
/// The relabellings of one pair of groups that a subject-level permutation test evaluates: the labels of the pair's
/// subjects are shuffled over the whole universe of subjects (every subject of the data set in either group, group
/// sizes kept), from a seed that depends only on the permutation seed and the two groups' names. Every run on the
/// same subjects therefore evaluates the same relabellings in the same order, so that statistics of several runs can
/// be averaged relabelling by relabelling (in the analysis, <c>SubjectLevelComparison</c>): the pooled test is a permutation
/// test too.
/// </summary>
/// <remarks>Written by hand: the shared, name-seeded relabelling is specific to this method.</remarks>
internal sealed class SubjectRelabelling
{
    private readonly List<int[]> _chosen;

    private SubjectRelabelling(int universeA, int universeB, bool exact, int seed, List<int[]> chosen)
    {
        UniverseA = universeA;
        UniverseB = universeB;
        Exact = exact;
        Seed = seed;
        _chosen = chosen;
    }

    /// <summary>Subjects of the reference group in the universe.</summary>
    public int UniverseA { get; }

    /// <summary>Subjects of the compared group in the universe.</summary>
    public int UniverseB { get; }

    /// <summary>True when every relabelling with these sizes is enumerated (the observed one among them).</summary>
    public bool Exact { get; }

    /// <summary>Seed the Monte-Carlo relabellings were drawn from (recorded, so that runs can be checked for a shared scheme).</summary>
    public int Seed { get; }

    /// <summary>Relabellings evaluated.</summary>
    public int Count => _chosen.Count;

    /// <summary>Builds the relabellings of groups <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="subjectGroup">Group index of every subject of the universe; negative = in no group (left out).</param>
    /// <param name="a">Reference group index.</param>
    /// <param name="b">Compared group index.</param>
    /// <param name="nameA">Name of group a (seeds the relabellings, so that every run draws the same ones).</param>
    /// <param name="nameB">Name of group b.</param>
    /// <param name="permutations">Largest number of relabellings; all of them when there are at most this many.</param>
    /// <param name="seed">Permutation seed of the run configuration.</param>
    public static SubjectRelabelling Of(IReadOnlyList<int> subjectGroup, int a, int b, string nameA, string nameB,
        int permutations, int seed)
    {
        var universe = Enumerable.Range(0, subjectGroup.Count).Where(s => subjectGroup[s] == a || subjectGroup[s] == b).ToArray();
        int nb = universe.Count(s => subjectGroup[s] == b);
        int pairSeed = PairSeed(seed, nameA, nameB);
        var chosen = new List<int[]>();
        bool exact = Binomial(universe.Length, nb) <= permutations;
        if (exact)
        {
            foreach (var c in Combinations(universe.Length, nb))
            {
                chosen.Add(c.Select(i => universe[i]).ToArray());
            }
        }
        else
        {
            var rng = new Random(pairSeed);
            var order = (int[])universe.Clone();
            for (int k = 0; k < permutations; k++)
            {
                rng.Shuffle(order);
                chosen.Add(order[..nb]);
            }
        }
        return new SubjectRelabelling(universe.Length - nb, nb, exact, pairSeed, chosen);
    }

    /// <summary>
    /// Relabelling <paramref name="k"/> seen from a window: true for the window subjects it puts in group b.
    /// </summary>
    /// <param name="k">0-based relabelling.</param>
    /// <param name="windowToUniverse">Universe subject of every window subject.</param>
    public bool[] InB(int k, IReadOnlyList<int> windowToUniverse)
    {
        var inB = new HashSet<int>(_chosen[k]);
        var labels = new bool[windowToUniverse.Count];
        for (int s = 0; s < labels.Length; s++)
        {
            labels[s] = inB.Contains(windowToUniverse[s]);
        }
        return labels;
    }

    /// <summary>
    /// A seed from the permutation seed and the pair's names (FNV-1a, stable across processes and .NET versions,
    /// unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    private static int PairSeed(int seed, string a, string b)
    {
        uint hash = 2166136261;
        foreach (char c in a + "\u0000" + b)
        {
            hash = (hash ^ c) * 16777619;
        }
        return unchecked((int)hash ^ seed);
    }

    private static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++)
        {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /// <summary>Every k-subset of {0..n−1}, in lexicographic order.</summary>
    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var c = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])c.Clone();
            int i = k - 1;
            while (i >= 0 && c[i] == n - k + i)
            {
                i--;
            }
            if (i < 0)
            {
                yield break;
            }
            c[i]++;
            for (int j = i + 1; j < k; j++)
            {
                c[j] = c[j - 1] + 1;
            }
        }
    }
}
