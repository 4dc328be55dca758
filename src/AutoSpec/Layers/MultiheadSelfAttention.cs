using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// Multi-head self-attention built from four Linear projections (q_proj, k_proj, v_proj, out_proj), batch-first:
/// input and output (N, L, E). Rows of every projection are samples × tokens; attention mixes tokens within a
/// sample only, so each row still belongs to one sample. Computes the same function as TorchSharp's native
/// nn.MultiheadAttention with query = key = value (see <see cref="CopyFrom"/>).
/// </summary>
public sealed class MultiheadSelfAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Names match the submodule names in named_modules().
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly Dropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the projections (E must be divisible by the number of heads).</summary>
    public MultiheadSelfAttention(string name, long embed, long heads, double dropout = 0, bool bias = true) : base(name)
    {
        if (heads < 1 || embed % heads != 0)
        {
            throw new ArgumentException($"embedding size {embed} is not divisible by {heads} heads");
        }
        Embed = embed;
        Heads = heads;
        q_proj = nn.Linear(embed, embed, hasBias: bias);
        k_proj = nn.Linear(embed, embed, hasBias: bias);
        v_proj = nn.Linear(embed, embed, hasBias: bias);
        out_proj = nn.Linear(embed, embed, hasBias: bias);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>Embedding size E.</summary>
    public long Embed { get; }

    /// <summary>Number of heads.</summary>
    public long Heads { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], l = x.shape[1], d = Embed / Heads;
        Tensor Split(Tensor t) => t.view(n, l, Heads, d).transpose(1, 2); // (N, heads, L, d)
        var q = Split(q_proj.call(x));
        var k = Split(k_proj.call(x));
        var v = Split(v_proj.call(x));
        using var scale = Math.Sqrt(d).ToScalar();
        var weights = dropout.call(softmax(q.matmul(k.transpose(-2, -1)).div(scale), -1));
        var context = weights.matmul(v).transpose(1, 2).reshape(n, l, Embed);
        return out_proj.call(context);
    }

    /// <summary>
    /// Copies a native nn.MultiheadAttention's weights: in_proj_weight/in_proj_bias hold q, k, v stacked in rows.
    /// </summary>
    public void CopyFrom(nn.Module native, string prefix = "")
    {
        var p = native.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using var noGrad = no_grad();
        var w = p[prefix + "in_proj_weight"].chunk(3, 0);
        q_proj.weight!.copy_(w[0]);
        k_proj.weight!.copy_(w[1]);
        v_proj.weight!.copy_(w[2]);
        if (q_proj.bias is not null && p.TryGetValue(prefix + "in_proj_bias", out var inBias))
        {
            var b = inBias.chunk(3, 0);
            q_proj.bias.copy_(b[0]);
            k_proj.bias!.copy_(b[1]);
            v_proj.bias!.copy_(b[2]);
        }
        out_proj.weight!.copy_(p[prefix + "out_proj.weight"]);
        if (out_proj.bias is not null && p.TryGetValue(prefix + "out_proj.bias", out var outBias))
        {
            out_proj.bias.copy_(outBias);
        }
    }
}
