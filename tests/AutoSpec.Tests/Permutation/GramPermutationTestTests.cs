using AutoSpec.Permutation;
using AutoSpec.Spectra;
using MathNet.Numerics.LinearAlgebra;

namespace AutoSpec.Tests.Permutation;

public class GramPermutationTestTests
{
    // Six subjects; subjects 1 and 4 have two rows each (as with time steps), the others one: 8 rows.
    private static readonly int[] RowSubject = [0, 1, 1, 2, 3, 4, 4, 5];

    private static double[,] Random(int rows, int cols, int seed, Func<int, double>? rowScale = null)
    {
        var rng = new Random(seed);
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                m[r, c] = (rng.NextDouble() * 2 - 1) * (rowScale?.Invoke(r) ?? 1);
            }
        }
        return m;
    }

    /// <summary>Reference: the group gradient formed explicitly, G_g = A_gᵀ Δ_g, and its SVD (MathNet).</summary>
    private static double[] ExplicitSigma(double[,] a, double[,] d, IReadOnlyList<bool> inGroup)
    {
        var rows = Enumerable.Range(0, RowSubject.Length).Where(r => inGroup[RowSubject[r]]).ToArray();
        var ag = Matrix<double>.Build.Dense(rows.Length, a.GetLength(1), (i, j) => a[rows[i], j]);
        var dg = Matrix<double>.Build.Dense(rows.Length, d.GetLength(1), (i, j) => d[rows[i], j]);
        return (ag.Transpose() * dg).Svd(computeVectors: false).S.ToArray();
    }

    [Fact]
    public void GramBlocksGiveTheSingularValuesOfTheExplicitGroupGradient()
    {
        var a = Random(8, 5, 1);
        var d = Random(8, 4, 2);
        var step = new GramStep(a, d, RowSubject);
        bool[] group = [true, false, true, false, true, false];
        var (sigma, subjects) = step.Group(group);
        var reference = ExplicitSigma(a, d, group);
        Assert.Equal(3, subjects);
        // min(rows = 5, p = 5, q = 4) values: the structurally non-zero ones.
        Assert.Equal(reference.Length, sigma.Length);
        for (int k = 0; k < reference.Length; k++)
        {
            Assert.Equal(reference[k], sigma[k], 10);
        }
    }

    [Theory]
    [InlineData("sigma1_normalised")]
    [InlineData("effective_rank")]
    public void ExactPValueEqualsTheShareOfAllTwentyRelabellingsComputedByExplicitSvd(string metric)
    {
        var steps = new[] { 1, 2 }.Select(s => new GramStep(Random(8, 5, 10 * s), Random(8, 4, 10 * s + 1), RowSubject)).ToList();
        bool[] observed = [false, true, false, true, true, false];
        var result = GramPermutationTest.Run(steps, observed, metric, permutations: 1000);
        Assert.True(result.Exact);
        Assert.Equal(20, result.Permutations);

        // Reference: enumerate the C(6, 3) = 20 labellings, spectra by explicit SVD, the same statistic by hand.
        double Stat(bool[] inB)
        {
            double sum = 0;
            for (int s = 0; s < steps.Count; s++)
            {
                var a = Random(8, 5, 10 * (s + 1));
                var d = Random(8, 4, 10 * (s + 1) + 1);
                double Value(bool[] g)
                {
                    var sigma = ExplicitSigma(a, d, g);
                    var summary = SpectrumSummary.Of(sigma, 5);
                    return metric == "effective_rank" ? summary.EffectiveRank!.Value : summary.Sigma1 * 6.0 / 3.0;
                }
                sum += Value(inB) - Value(inB.Select(x => !x).ToArray());
            }
            return sum / steps.Count;
        }
        double t0 = Stat(observed);
        Assert.Equal(t0, result.Statistic!.Value, 8);
        int extreme = 0, total = 0;
        for (int mask = 0; mask < 64; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != 3)
            {
                continue;
            }
            var labels = Enumerable.Range(0, 6).Select(i => (mask >> i & 1) == 1).ToArray();
            total++;
            if (Math.Abs(Stat(labels)) >= Math.Abs(t0) * (1 - 1e-9))
            {
                extreme++;
            }
        }
        Assert.Equal(20, total);
        Assert.Equal((double)extreme / total, result.PValue);
    }

    [Fact]
    public void APlantedGroupIsTheMostExtremeLabellingAndGetsTheSmallestExactP()
    {
        // Group B's subjects (3, 4, 5: rows 4–7) have inputs ten times larger: its σ₁ dominates.
        var steps = new[] { 1, 2, 3 }.Select(s => new GramStep(Random(8, 5, s, r => r >= 4 ? 10 : 1), Random(8, 4, 100 + s), RowSubject)).ToList();
        bool[] inB = [false, false, false, true, true, true];
        var result = GramPermutationTest.Run(steps, inB, "sigma1_normalised");
        // Only the observed labelling and its mirror image (|T| equal) are as extreme: 2 of 20.
        Assert.Equal(0.1, result.PValue!.Value, 12);
        Assert.True(result.Statistic > 0);
    }

    [Fact]
    public void MonteCarloPValueIsSeededAndNeverZero()
    {
        int[] rows = [0, 1, 2, 3, 4, 5, 6, 7];
        var steps = new[] { new GramStep(Random(8, 5, 7), Random(8, 4, 8), rows) };
        bool[] inB = [true, true, true, true, false, false, false, false];
        var first = GramPermutationTest.Run(steps, inB, "sigma1_normalised", permutations: 30, seed: 3);
        Assert.False(first.Exact);
        Assert.Equal(30, first.Permutations);
        Assert.InRange(first.PValue!.Value, 1.0 / 31, 1.0);
        var second = GramPermutationTest.Run(steps, inB, "sigma1_normalised", permutations: 30, seed: 3);
        Assert.Equal(first.PValue, second.PValue);
        Assert.Equal(first.Null, second.Null);
    }
}
