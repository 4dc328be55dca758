using AutoSpec.Spectra;

namespace AutoSpec.Tests.Spectra;

public class SpectrumSummaryTests
{
    [Fact]
    public void SpectralDecayOfAGeometricSpectrumIsTheLogOfItsRatio()
    {
        double[] sigma = [8, 4, 2, 1, 0.5];
        Assert.Equal(Math.Log(0.5), SpectrumSummary.Of(sigma, 2).SpectralDecay!.Value, 12);
    }

    [Fact]
    public void SpectralDecayMatchesNumpyPolyfitAndIgnoresRoundingNoise()
    {
        // s = [5, 3.1, 2.2, 1, 0.7, 0.05, 1e-9]; m = s > s[0]*1e-6;
        // numpy.polyfit(k[m], np.log(s[m]), 1)[0] → -0.8079582701884064 (the 1e-9 value is left out)
        double[] sigma = [5.0, 3.1, 2.2, 1.0, 0.7, 0.05, 1e-9];
        Assert.Equal(-0.8079582701884064, SpectrumSummary.Decay(sigma)!.Value, 12);
    }

    [Fact]
    public void SpectralDecayIsNullWithoutTwoPositiveValues()
    {
        Assert.Null(SpectrumSummary.Decay([3.0]));
        Assert.Null(SpectrumSummary.Decay([0.0, 0.0]));
        Assert.Null(SpectrumSummary.Decay([2.0, 0.0]));
    }
}
