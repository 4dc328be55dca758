using AutoSpec.Layers;
using AutoSpec.Training;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Training;

/// <summary>The held-Scalar optimisers and activations compute exactly what TorchSharp's own do.</summary>
public sealed class HeldScalarOptimizerTests
{
    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("adam", 0.01)]
    [InlineData("sgd", 0.0)]
    [InlineData("sgd", 0.01)]
    public void StepsEqualTorchSharpsOptimiserBitForBit(string kind, double weightDecay)
    {
        random.manual_seed(3);
        using var ours = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
        using var theirs = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
        using (no_grad())
        {
            foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
            {
                b.copy_(a);
            }
        }
        using optim.Optimizer held = kind == "adam"
            ? new HeldScalarAdam(ours.parameters(), 0.01, weightDecay)
            : new HeldScalarSgd(ours.parameters(), 0.05, 0.9, weightDecay);
        using optim.Optimizer native = kind == "adam"
            ? optim.Adam(theirs.parameters(), 0.01, weight_decay: weightDecay)
            : optim.SGD(theirs.parameters(), 0.05, 0.9, weight_decay: weightDecay);
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, 6);
            var y = randint(0, 3, [8]);
            foreach (var (model, optimiser) in new[] { (ours, held), (theirs, native) })
            {
                optimiser.zero_grad();
                nn.functional.cross_entropy(model.call(x), y).backward();
                optimiser.step();
            }
        }
        foreach (var (a, b) in ours.parameters().Zip(theirs.parameters()))
        {
            Assert.True(Same(a, b), "parameters differ after 5 steps");
        }
    }

    [Fact]
    public void HeldScalarActivationsEqualNativeModules()
    {
        using var x = randn(4, 7, dtype: float64);
        using var elu = HeldScalarActivation.Elu();
        using var nativeElu = nn.ELU();
        using var leaky = HeldScalarActivation.LeakyRelu(0.01);
        using var nativeLeaky = nn.LeakyReLU(0.01);
        Assert.True(Same(elu.call(x), nativeElu.call(x)));
        Assert.True(Same(leaky.call(x), nativeLeaky.call(x)));
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();
}
