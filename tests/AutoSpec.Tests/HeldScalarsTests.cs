using AutoSpec.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests;

/// <summary>
/// The product never lets TorchSharp make a temporary Scalar from a number: such a Scalar can be freed by a collection
/// on another thread while libtorch reads it (tools/ScalarLifetimeRepro shows the faults it causes).
/// </summary>
public sealed class HeldScalarsTests
{
    private static readonly Lazy<ImplicitScalarScanner> Scanner = new(() => new ImplicitScalarScanner(typeof(torch).Assembly.Location));

    [Fact]
    public void ProductCodeConvertsNoNumberToATemporaryScalar()
    {
        // Every assembly of the product, layer by layer, and the library example users copy from.
        var found = new[]
            {
                typeof(AutoSpec.Introspection.IntrospectionProbe).Assembly, typeof(AutoSpec.Record.RunRecorder).Assembly,
                typeof(AutoSpec.Analyse.RunSet).Assembly, typeof(AutoSpec.Training.Trainer).Assembly,
                typeof(AutoSpec.Cli.ExitCodes).Assembly, typeof(OwnTrainingLoop.Program).Assembly,
            }
            .SelectMany(a => Scanner.Value.Scan(a.Location))
            .ToList();
        Assert.True(found.Count == 0,
            "These methods make TorchSharp convert a number to a temporary Scalar (pass a held one, see HeldScalars):\n"
            + string.Join("\n", found));
    }

    [Fact]
    public void ScannerFindsConversionsDirectInsideTorchSharpAndInModulesAndOptimisers()
    {
        var found = Scanner.Value.Scan(typeof(HeldScalarsTests).Assembly.Location)
            .Where(f => f.StartsWith(typeof(Converting).FullName!, StringComparison.Ordinal))
            .ToList();
        Assert.Contains(found, f => f.Contains(".Direct → Scalar.op_Implicit", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(".ThroughOperator → TorchSharp.torch+Tensor::op_Multiply", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(".TensorSum → TorchSharp.torch+Tensor::op_Addition", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(".Module → TorchSharp.torch+nn::LeakyReLU", StringComparison.Ordinal));
        Assert.Contains(found, f => f.Contains(".Optimiser → TorchSharp.torch+optim::Adam", StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.Contains(".Held →", StringComparison.Ordinal));
    }

    /// <summary>Code the scanner must flag (and one method it must not); never run.</summary>
    private static class Converting
    {
        public static Tensor Direct(Tensor t) => t.mul(0.5);

        public static Tensor ThroughOperator(Tensor t) => t * 2.0;

        public static Tensor TensorSum(Tensor a, Tensor b) => a + b;

        public static nn.Module<Tensor, Tensor> Module() => nn.LeakyReLU(0.1);

        public static optim.Optimizer Optimiser(nn.Module m) => optim.Adam(m.parameters());

        public static Tensor Held(Tensor a, Tensor b, Scalar s) => a.add(b, s).mul(s);
    }
}
