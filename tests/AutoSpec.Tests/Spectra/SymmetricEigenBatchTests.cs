using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Spectra;

public class SymmetricEigenBatchTests
{
    /// <summary>
    /// Problems batched by equal size (stacked), padded into a slightly larger size, and alone each give the singular
    /// values of the factor X of M = XᵀX, computed by an SVD of X itself.
    /// </summary>
    [Fact]
    public void EveryProblemGivesTheSingularValuesOfItsFactorWhateverBatchItJoins()
    {
        random.manual_seed(11);
        // Three of size 5 (one stacked batch), 20 and 21 (20 padded into 21's batch), 40 alone; rows < size for one
        // of them, so that it has structural zeros the caller's keep drops.
        var shapes = new (long Rows, long Size)[] { (9, 5), (9, 5), (3, 5), (30, 20), (30, 21), (50, 40) };
        var batch = new SymmetricEigenBatch();
        var expected = new List<double[]>();
        using var scope = NewDisposeScope();
        foreach (var (rows, size) in shapes)
        {
            var x = randn(rows, size, ScalarType.Float64);
            batch.Add(x.t().mm(x), Math.Min(rows, size));
            expected.Add(linalg.svdvals(x).data<double>().ToArray());
        }
        var solved = batch.SolveAsSingularValues();
        Assert.Equal(shapes.Length, solved.Length);
        for (int i = 0; i < shapes.Length; i++)
        {
            Assert.Equal(expected[i].Length, solved[i].Length);
            for (int k = 0; k < expected[i].Length; k++)
            {
                Assert.True(Math.Abs(expected[i][k] - solved[i][k]) <= 1e-10 * expected[i][0], $"problem {i}, σ_{k}: {solved[i][k]} against {expected[i][k]}");
            }
        }
    }
}
