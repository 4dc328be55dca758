using System.Diagnostics;
using Xunit.Abstractions;

namespace AutoSpec.Tests.Fuzz;

/// <summary>
/// Issue 13's fuzz suite: every generated case runs and is classified; the suite prints
/// "N cases: clean C, unclear U, crash K, hang H, data lost L, wrong result W" and fails on any crash, hang, data loss,
/// wrong result or unclear message, listing the cases.
/// </summary>
[Collection("cli")]
public sealed class FuzzSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryCaseEndsCleanly()
    {
        var cases = FuzzCases.All();
        var results = new List<(FuzzCase Case, FuzzOutcome Outcome, string Detail)>();
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var c in cases)
            {
                var (outcome, detail) = FuzzRunner.Run(c);
                results.Add((c, outcome, detail));
            }
        }
        finally
        {
            foreach (var held in FuzzCases.HeldLocks)
            {
                held.Dispose();
            }
            FuzzCases.HeldLocks.Clear();
        }
        int Count(FuzzOutcome o) => results.Count(r => r.Outcome == o);
        var summary = $"{results.Count} cases: clean {Count(FuzzOutcome.Clean)}, unclear {Count(FuzzOutcome.Unclear)}, crash {Count(FuzzOutcome.Crash)}, " +
            $"hang {Count(FuzzOutcome.Hang)}, data lost {Count(FuzzOutcome.DataLost)}, wrong result {Count(FuzzOutcome.WrongResult)} ({clock.Elapsed.TotalSeconds:F0} s)";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        var bad = results.Where(r => r.Outcome != FuzzOutcome.Clean).ToList();
        foreach (var (c, outcome, detail) in bad)
        {
            output.WriteLine($"  {outcome}: {c.Name}: {detail}");
        }
        Assert.True(bad.Count == 0, summary + "\n" + string.Join("\n", bad.Select(b => $"  {b.Outcome}: {b.Case.Name}: {b.Detail}")));
    }
}
