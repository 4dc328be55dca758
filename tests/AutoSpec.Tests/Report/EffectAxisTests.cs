using AutoSpec.Report;

namespace AutoSpec.Tests.Report;

public sealed class EffectAxisTests
{
    [Fact]
    public void TheAxisIsSetByTheEstimatesNotByAVeryWideInterval()
    {
        // Estimates within ±0.3; one window's interval reaches −1 200 (a window whose null spread is huge).
        var axis = EffectAxis.Of([-0.2, 0.1, 0.3, double.NaN]);
        Assert.True(axis.Low <= -0.2 && axis.High >= 0.3);
        Assert.True(axis.High - axis.Low < 2, $"{axis.Low}..{axis.High}");
        Assert.True(axis.Cuts(-1200, 0.1));
        Assert.False(axis.Cuts(-0.25, 0.35));
        Assert.Equal(axis.Low, axis.Clamp(-1200));
    }

    [Fact]
    public void ZeroIsAlwaysOnTheAxis()
    {
        var axis = EffectAxis.Of([2.0, 3.0]);
        Assert.True(axis.Low < 0 && axis.High > 3);
        var flat = EffectAxis.Of([]);
        Assert.True(flat.Low < 0 && flat.High > 0);
    }
}
