using AutoSpec.Analyse;

namespace AutoSpec.Tests.Analyse;

public class ChangePointDetectorTests
{
    private static double[] Noisy(int n, Func<int, double> signal, double sd, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i =>
        {
            // Box–Muller: Gaussian noise from System.Random, so the test needs nothing else.
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            return signal(i) + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FindsWhereAFallingTrajectoryLevelsOffAndWhereItJumps(int seed)
    {
        // Falls with slope −0.05 until 40, flat until 70, then jumps up by 1 and stays flat.
        static double Signal(int i) => i < 40 ? 3 - 0.05 * i : i < 70 ? 1 : 2;
        var y = Noisy(120, Signal, 0.05, seed);
        var points = new ChangePointDetector().Detect(y);
        Assert.Equal(2, points.Count);
        Assert.InRange(points[0], 37, 43);
        Assert.InRange(points[1], 69, 71);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void AStraightNoisyLineHasNoChangePoint(int seed)
    {
        var y = Noisy(200, i => 1 - 0.01 * i, 0.1, seed);
        Assert.Empty(new ChangePointDetector().Detect(y));
    }

    [Fact]
    public void NoiseFreePiecewiseLinearSignalIsSegmentedExactly()
    {
        var y = Enumerable.Range(0, 60).Select(i => i < 25 ? 2.0 * i : 50.0 - 0.5 * (i - 25)).ToArray();
        Assert.Equal([25], new ChangePointDetector().Detect(y));
    }

    [Fact]
    public void SeriesShorterThanTwoSegmentsHaveNoChangePoint()
    {
        Assert.Empty(new ChangePointDetector { MinSegment = 5 }.Detect([1.0, 2, 3, 10, 11, 12, 13, 14, 15]));
    }
}
