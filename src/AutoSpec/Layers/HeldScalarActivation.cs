using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// ELU or leaky ReLU whose constants are Scalars the module holds for its lifetime. TorchSharp's <c>nn.ELU</c> and
/// <c>nn.LeakyReLU</c> convert their doubles to temporary Scalars on every forward pass, which a collection on another
/// thread can free while libtorch reads them (see <see cref="HeldScalars"/>). Same function as the native modules.
/// </summary>
internal sealed class HeldScalarActivation : nn.Module<Tensor, Tensor>
{
    private readonly bool _elu;
    private readonly Scalar _constant;
    private readonly Scalar _one = 1.0.ToScalar();

    private HeldScalarActivation(string name, bool elu, double constant) : base(name)
    {
        _elu = elu;
        _constant = constant.ToScalar();
    }

    /// <summary>ELU: x for x &gt; 0, alpha · (eˣ − 1) otherwise.</summary>
    public static HeldScalarActivation Elu(double alpha = 1.0) => new("ELU", elu: true, alpha);

    /// <summary>Leaky ReLU: x for x &gt; 0, slope · x otherwise.</summary>
    public static HeldScalarActivation LeakyRelu(double slope = 0.01) => new("LeakyReLU", elu: false, slope);

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => _elu ? x.elu(_constant, _one, _one) : x.leaky_relu(_constant);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _constant.Dispose();
            _one.Dispose();
        }
        base.Dispose(disposing);
    }
}
