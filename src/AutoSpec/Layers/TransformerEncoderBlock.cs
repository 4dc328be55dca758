using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// A Transformer encoder layer built from introspectable parts: self_attn (<see cref="MultiheadSelfAttention"/>),
/// the feed-forward projections linear1 and linear2, LayerNorms norm1 and norm2; post-norm (as PyTorch's default)
/// or pre-norm. Batch-first (N, L, E). Post-norm computes the same function as TorchSharp's native
/// nn.TransformerEncoderLayer (see <see cref="CopyFrom"/>).
/// </summary>
public sealed class TransformerEncoderBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Names match the submodule names in named_modules().
    private readonly MultiheadSelfAttention self_attn;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Dropout dropout;
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;
#pragma warning restore IDE1006
    private readonly bool _gelu;

    /// <summary>Creates the block.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="model">Embedding size E.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="feedForward">Width of the feed-forward layer.</param>
    /// <param name="dropout">Dropout probability (attention weights, feed-forward, residual branches).</param>
    /// <param name="activation">relu or gelu.</param>
    /// <param name="normFirst">Pre-norm (LayerNorm before each sub-block) instead of post-norm.</param>
    public TransformerEncoderBlock(string name, long model, long heads, long feedForward, double dropout = 0.1,
        string activation = "relu", bool normFirst = false) : base(name)
    {
        _gelu = activation switch
        {
            "relu" => false,
            "gelu" => true,
            _ => throw new ArgumentException($"activation must be relu or gelu, not '{activation}'"),
        };
        NormFirst = normFirst;
        self_attn = new MultiheadSelfAttention("self_attn", model, heads, dropout);
        linear1 = nn.Linear(model, feedForward);
        linear2 = nn.Linear(feedForward, model);
        norm1 = nn.LayerNorm(model);
        norm2 = nn.LayerNorm(model);
        this.dropout = nn.Dropout(dropout);
        dropout1 = nn.Dropout(dropout);
        dropout2 = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>Whether LayerNorm comes before each sub-block.</summary>
    public bool NormFirst { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (NormFirst)
        {
            x = x.add(dropout1.call(self_attn.call(norm1.call(x))), HeldScalars.One);
            return x.add(dropout2.call(FeedForward(norm2.call(x))), HeldScalars.One);
        }
        x = norm1.call(x.add(dropout1.call(self_attn.call(x)), HeldScalars.One));
        return norm2.call(x.add(dropout2.call(FeedForward(x)), HeldScalars.One));
    }

    private Tensor FeedForward(Tensor x)
    {
        var h = linear1.call(x);
        h = _gelu ? nn.functional.gelu(h) : nn.functional.relu(h);
        return linear2.call(dropout.call(h));
    }

    /// <summary>Copies the weights of a native nn.TransformerEncoderLayer of the same sizes.</summary>
    public void CopyFrom(nn.Module native)
    {
        self_attn.CopyFrom(native, "self_attn.");
        var p = native.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using var noGrad = no_grad();
        foreach (var (target, source) in new (Tensor?, string)[]
        {
            (linear1.weight, "linear1.weight"), (linear1.bias, "linear1.bias"),
            (linear2.weight, "linear2.weight"), (linear2.bias, "linear2.bias"),
            (norm1.weight, "norm1.weight"), (norm1.bias, "norm1.bias"),
            (norm2.weight, "norm2.weight"), (norm2.bias, "norm2.bias"),
        })
        {
            target!.copy_(p[source]);
        }
    }
}
