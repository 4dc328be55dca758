using AutoSpec.Analyse;
using AutoSpec.Report;

namespace AutoSpec.Tests.Report;

public sealed class PermutationSummaryTests
{
    private static SubjectTestRow Test(string layer, long first, double? excess, double? p, bool significant, string window = SubjectTestRow.OneWindow) => new()
    {
        Layer = layer,
        Metric = "sample_rms",
        GroupA = "A",
        GroupB = "B",
        Window = window,
        FirstStep = first,
        LastStep = first + 9,
        Excess = excess,
        P = p,
        PAdjusted = p is null ? null : p * 2,
        Z = excess * 10,
        Significant = significant,
    };

    [Fact]
    public void VerdictsAreCountedPerLayerMetricAndPair()
    {
        var rows = PermutationSummary.Of(
        [
            Test("fc1", 0, 0.5, 0.001, true), Test("fc1", 10, -0.4, 0.002, true), Test("fc1", 20, -0.3, 0.001, true),
            Test("fc1", 30, 0.1, 0.4, false), Test("fc1", 40, null, null, false), Test("fc1", 0, -0.2, 0.001, true, SubjectTestRow.WholeRun),
            Test("fc2", 0, 0.1, 0.3, false),
        ]);
        Assert.Equal(2, rows.Count);
        var fc1 = rows[0];
        Assert.Equal(("fc1", 5, 4, 1, 2), (fc1.Layer, fc1.Windows, fc1.WithP, fc1.Higher, fc1.Lower));
        // Smallest adjusted p (0.002), ties broken by |z|: the window at step 0 (|z| 5) over step 20 (|z| 3).
        Assert.Equal(0, fc1.Strongest!.FirstStep);
        Assert.Equal(SubjectTestRow.WholeRun, fc1.WholeRun!.Window);
        Assert.Equal((1, 0, 0, 0), (rows[1].Windows, rows[1].Higher, rows[1].Lower, rows[1].WholeRun is null ? 0 : 1));
    }
}
