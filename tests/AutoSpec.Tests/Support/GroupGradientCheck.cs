using AutoSpec.Capture;
using AutoSpec.Partition;
using AutoSpec.Spectra;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Support;

/// <summary>
/// The independent check every layer type must pass: for each group g, backpropagate only that group's share of
/// the loss (Σ_{i∈g} ℓ_i / N, as the batch-mean loss weighs it) and read every weight's .grad — that is the group
/// gradient G_g, computed by autograd without AutoSpec. The captured factors must reproduce it (A_gᵀ Δ_g), the
/// groups must sum to the full weight.grad, and every route's σ(G_g) must equal svdvals of it.
/// </summary>
public static class GroupGradientCheck
{
    /// <remarks>
    /// The autograd reference is computed by test code, which passes temporary Scalars to TorchSharp (only the product
    /// is held to HeldScalars); a collection on another thread can free one mid-call (docs/TORCHSHARP.md). A check
    /// whose autograd gradients are not finite is therefore repeated (at most 5 times); every finite mismatch fails
    /// at once.
    /// </remarks>
    public static void Run(nn.Module<Tensor, Tensor> model, Tensor x, Func<Tensor, Tensor> perSampleLoss, int[] sampleGroup,
        string[] groupNames, IReadOnlyCollection<string>? expectedLayers = null, LayerRegistry? registry = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                RunOnce(model, x, perSampleLoss, sampleGroup, groupNames, expectedLayers, registry);
                return;
            }
            catch (NonFiniteGradientException) when (attempt < 5)
            {
            }
        }
    }

    private sealed class NonFiniteGradientException(string message) : Exception(message);

    private static Tensor Finite(Tensor gradient, string what) =>
        gradient.isfinite().all().item<bool>() ? gradient : throw new NonFiniteGradientException($"{what}: libtorch returned a non-finite gradient");

    private static void RunOnce(nn.Module<Tensor, Tensor> model, Tensor x, Func<Tensor, Tensor> perSampleLoss, int[] sampleGroup,
        string[] groupNames, IReadOnlyCollection<string>? expectedLayers, LayerRegistry? registry)
    {
        using var capture = ModelCapture.Attach(model, registry: registry);
        if (expectedLayers is not null)
        {
            Assert.Equal(expectedLayers.Order(), capture.Layers.Select(l => l.Name).Order());
        }
        long n = x.shape[0];
        model.zero_grad();
        capture.Enabled = true;
        perSampleLoss(model.call(x)).mean().backward();
        capture.Enabled = false;
        var factors = capture.TakeFactors();
        capture.Clear();
        Assert.Equal(capture.Layers.Count, factors.Count);
        var full = capture.Layers.ToDictionary(l => l.Name, l => Finite(l.WeightGradMatrix()!, l.Name).to_type(ScalarType.Float64));
        foreach (var f in factors)
        {
            Finite(f.Adjoints, f.Layer + " Δ");
        }

        var partitions = factors.ToDictionary(f => f.Layer, f => RowPartition.Create(f.RowSample, sampleGroup, groupNames));
        foreach (var f in factors)
        {
            var sum = zeros(f.P, f.Q, ScalarType.Float64);
            foreach (var g in partitions[f.Layer].Groups)
            {
                sum += Explicit(f, g);
            }
            AssertClose(full[f.Layer].t(), sum, 1e-5, $"{f.Layer}: Σ_g G_g vs weight.grad");
        }

        for (int gi = 0; gi < groupNames.Length; gi++)
        {
            if (!sampleGroup.Contains(gi))
            {
                continue;
            }
            model.zero_grad();
            var mask = tensor(sampleGroup.Select(s => s == gi ? 1f : 0f).ToArray());
            ((perSampleLoss(model.call(x)) * mask).sum() / n).backward();
            foreach (var f in factors)
            {
                var layer = capture.Layers.Single(l => l.Name == f.Layer);
                var expected = Finite(layer.WeightGradMatrix()!, f.Layer).to_type(ScalarType.Float64).t();
                var g = partitions[f.Layer].Groups.Single(r => r.Group == groupNames[gi]);
                AssertClose(expected, Explicit(f, g), 1e-5, $"{f.Layer} group {g.Group}: A_gᵀΔ_g vs autograd");
                var reference = linalg.svdvals(expected).data<double>().ToArray();
                // Forcing QR or Gram on thousands of rows is exact but slow (n×n eigenproblems); keep the test quick.
                var routes = f.Rows <= 400
                    ? new[] { SpectrumRoute.Auto, SpectrumRoute.Qr, SpectrumRoute.Gram, SpectrumRoute.Direct }
                    : new[] { SpectrumRoute.Auto, SpectrumRoute.Direct };
                foreach (var route in routes)
                {
                    var spectra = new GroupSpectraCalculator(route, SpectrumQuantities.Grad).Compute(f, partitions[f.Layer]);
                    var sigma = spectra.Single(s => s.Group.Group == g.Group).Grad!;
                    for (int k = 0; k < reference.Length; k++)
                    {
                        double actual = k < sigma.Length ? sigma[k] : 0;
                        Assert.True(Math.Abs(reference[k] - actual) <= 1e-4 * reference[0],
                            $"{f.Layer} group {g.Group} route {route}: σ_{k + 1} = {actual}, expected {reference[k]}");
                    }
                }
            }
        }
        foreach (var f in factors)
        {
            f.Dispose();
        }
    }

    private static Tensor Explicit(LayerFactors f, GroupRows g)
    {
        using var index = tensor(g.Rows, ScalarType.Int64);
        using var a = f.Inputs.index_select(0, index).to_type(ScalarType.Float64);
        using var d = f.Adjoints.index_select(0, index).to_type(ScalarType.Float64);
        return a.t().mm(d);
    }

    public static void AssertClose(Tensor expected, Tensor actual, double relative, string what)
    {
        using var e = expected.to_type(ScalarType.Float64);
        using var a = actual.to_type(ScalarType.Float64);
        Assert.Equal(e.shape, a.shape);
        double scale = e.abs().max().item<double>();
        double diff = (e - a).abs().max().item<double>();
        Assert.True(diff <= relative * Math.Max(scale, 1e-30), $"{what}: max |Δ| = {diff:E3}, scale {scale:E3}");
    }
}
