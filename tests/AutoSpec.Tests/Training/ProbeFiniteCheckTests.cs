using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Tests.Support;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Training;

/// <summary>Non-finite factors stop the run at the step they appear; huge finite ones, whose sum overflows, do not.</summary>
public class ProbeFiniteCheckTests
{
    private static void Step(float value, BackgroundMode mode)
    {
        using var tmp = new TempFolder();
        var options = new IntrospectionOptions { Permutations = 0, Background = mode };
        using var model = nn.Linear(4, 3);
        using var probe = new IntrospectionProbe(model, options, ["A", "B"], sinks: [RunRecorder.Create(tmp.Combine("run"))]);
        using var scope = NewDisposeScope();
        var x = ones(6, 4);
        x[1, 2] = tensor(value);
        x[3] = full(4, value);
        try
        {
            using (probe.Step(0, 0, [0, 1, 0, 1, 0, 1]))
            {
                // The adjoints are all ones whatever the output holds; the layer's input A holds the value.
                model.call(x).sum().backward();
            }
            probe.Drain();
        }
        catch (Exception e)
        {
            probe.Fail(e);
            throw;
        }
    }

    [Theory]
    [InlineData(BackgroundMode.Off)]
    [InlineData(BackgroundMode.On)]
    public void NonFiniteInputsStopTheStepNamingTheLayer(BackgroundMode mode)
    {
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var e = Assert.Throws<InvalidInputException>(() => Step(bad, mode));
            Assert.Contains("non-finite", e.Message);
            Assert.Contains("step 0", e.Message);
        }
    }

    [Theory]
    [InlineData(BackgroundMode.Off)]
    [InlineData(BackgroundMode.On)]
    public void HugeFiniteInputsWhoseSumOverflowsAreRecorded(BackgroundMode mode)
    {
        // 6 × 1e38 overflows float32 (max 3.4e38): the cheap sum test fails and the element-wise one must pass them.
        Step(1e38f, mode);
    }
}
