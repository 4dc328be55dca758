using static TorchSharp.torch;

namespace AutoSpec.Tests;

public class TorchSharpLoadsTests
{
    [Fact]
    public void MatrixProductAndSvdRun()
    {
        using var a = tensor(new double[] { 3, 0, 0, 4 }, 2, 2);
        using var s = linalg.svdvals(a);
        Assert.Equal(new double[] { 4, 3 }, s.data<double>().ToArray());
    }
}
