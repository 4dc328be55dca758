using AutoSpec.Record;
using AutoSpec.Report;

namespace AutoSpec.Tests.Report;

public sealed class SpectrumGridTests
{
    [Fact]
    public void ALongRunsHeatMapShowsEvenlySpacedStepsWithTheirOwnValues()
    {
        // 1 000 recorded steps of one layer and group, k = 1 and 2, with σ_k = e^(step / 1000 + k): ln σ_k is known exactly.
        int n = 1000;
        var rows = Enumerable.Range(0, n).SelectMany(s => new[] { (Step: (long)s, K: 1), (Step: (long)s, K: 2) }).ToList();
        var table = new Dictionary<string, Array>
        {
            [RunColumns.Layer] = rows.Select(_ => (string?)"fc1").ToArray(),
            [RunColumns.Group] = rows.Select(_ => (string?)"A").ToArray(),
            [RunColumns.Quantity] = rows.Select(_ => (string?)"grad").ToArray(),
            [RunColumns.Step] = rows.Select(r => (long?)r.Step).ToArray(),
            [RunColumns.K] = rows.Select(r => (int?)r.K).ToArray(),
            [RunColumns.Sigma] = rows.Select(r => (double?)Math.Exp(r.Step / 1000.0 + r.K)).ToArray(),
        };
        var grid = SpectrumGrid.Of([table], "fc1", "grad", "A", 20)!;
        Assert.Equal(n, grid.Steps.Length);
        var thin = grid.Thin(400);
        Assert.Equal(400, thin.Steps.Length);
        Assert.Equal(0, thin.Steps[0]);
        Assert.Equal(n - 1, thin.Steps[^1]);
        Assert.True(thin.Steps.Zip(thin.Steps.Skip(1)).All(p => p.Second - p.First is 2 or 3), "evenly spaced");
        for (int c = 0; c < thin.Steps.Length; c++)
        {
            Assert.Equal(thin.Steps[c] / 1000.0 + 1, thin.Values[0, c], 9);
            Assert.Equal(thin.Steps[c] / 1000.0 + 2, thin.Values[1, c], 9);
        }
        Assert.Same(grid, grid.Thin(n));
    }
}
