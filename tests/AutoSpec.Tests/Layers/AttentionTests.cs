using AutoSpec.Layers;
using AutoSpec.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Tests.Layers;

public class AttentionTests
{
    private static void AssertGradientsEqual(nn.Module native, IReadOnlyDictionary<string, string> map, nn.Module ours)
    {
        var expected = native.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        var actual = ours.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (nativeName, grad) in expected)
        {
            if (nativeName.EndsWith("in_proj_weight", StringComparison.Ordinal) || nativeName.EndsWith("in_proj_bias", StringComparison.Ordinal))
            {
                var prefix = nativeName[..(nativeName.LastIndexOf("in_proj", StringComparison.Ordinal))];
                var kind = nativeName.EndsWith("weight", StringComparison.Ordinal) ? "weight" : "bias";
                var stacked = cat(new[] { "q_proj", "k_proj", "v_proj" }.Select(p => actual[$"{prefix}{p}.{kind}"]).ToArray(), 0);
                GroupGradientCheck.AssertClose(grad, stacked, 1e-5, nativeName);
            }
            else
            {
                GroupGradientCheck.AssertClose(grad, actual[map.GetValueOrDefault(nativeName, nativeName)], 1e-5, nativeName);
            }
        }
    }

    [Fact]
    public void SelfAttentionEqualsNativeMultiheadAttention()
    {
        random.manual_seed(3);
        var native = nn.MultiheadAttention(8, 2);
        var ours = new MultiheadSelfAttention("mha", 8, 2);
        ours.CopyFrom(native);
        var x = randn(3, 5, 8); // (N, L, E)
        var target = randn(3, 5, 8);
        var seqFirst = x.transpose(0, 1);
        var expected = native.call(seqFirst, seqFirst, seqFirst, null, false, null).Item1.transpose(0, 1);
        var actual = ours.call(x);
        GroupGradientCheck.AssertClose(expected, actual, 1e-5, "output");
        (expected - target).pow(2).sum().backward();
        (actual - target).pow(2).sum().backward();
        AssertGradientsEqual(native, new Dictionary<string, string>(), ours);
    }

    [Fact]
    public void PostNormBlockEqualsNativeTransformerEncoderLayer()
    {
        random.manual_seed(4);
        var native = nn.TransformerEncoderLayer(8, 2, 16, 0.0);
        var ours = new TransformerEncoderBlock("block", 8, 2, 16, dropout: 0.0);
        ours.CopyFrom(native);
        var x = randn(3, 6, 8);
        var target = randn(3, 6, 8);
        var expected = native.call(x.transpose(0, 1)).transpose(0, 1);
        var actual = ours.call(x);
        GroupGradientCheck.AssertClose(expected, actual, 1e-5, "output");
        (expected - target).pow(2).sum().backward();
        (actual - target).pow(2).sum().backward();
        AssertGradientsEqual(native, new Dictionary<string, string>(), ours);
    }

    [Fact]
    public void PreNormBlockEqualsItsCompositionFromNativeParts()
    {
        random.manual_seed(5);
        var ours = new TransformerEncoderBlock("block", 8, 2, 16, dropout: 0.0, activation: "gelu", normFirst: true);
        var mha = nn.MultiheadAttention(8, 2);
        var linear1 = nn.Linear(8, 16);
        var linear2 = nn.Linear(16, 8);
        var norm1 = nn.LayerNorm(8);
        var norm2 = nn.LayerNorm(8);
        using (no_grad())
        {
            norm1.weight!.uniform_(0.5, 1.5);
            norm2.bias!.uniform_(-0.5, 0.5);
        }
        // Give ours the parts' weights through a native layer of the same layout.
        var carrier = nn.TransformerEncoderLayer(8, 2, 16, 0.0);
        var carried = carrier.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            var attention = mha.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, value) in attention)
            {
                carried["self_attn." + name].copy_(value);
            }
            carried["linear1.weight"].copy_(linear1.weight!);
            carried["linear1.bias"].copy_(linear1.bias!);
            carried["linear2.weight"].copy_(linear2.weight!);
            carried["linear2.bias"].copy_(linear2.bias!);
            carried["norm1.weight"].copy_(norm1.weight!);
            carried["norm1.bias"].copy_(norm1.bias!);
            carried["norm2.weight"].copy_(norm2.weight!);
            carried["norm2.bias"].copy_(norm2.bias!);
        }
        ours.CopyFrom(carrier);

        var x = randn(3, 6, 8);
        var h = norm1.call(x).transpose(0, 1);
        var y = x + mha.call(h, h, h, null, false, null).Item1.transpose(0, 1);
        var expected = y + linear2.call(nn.functional.gelu(linear1.call(norm2.call(y))));
        GroupGradientCheck.AssertClose(expected, ours.call(x), 1e-5, "pre-norm output");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GroupGradientsOfEveryProjectionAreExact(bool normFirst)
    {
        random.manual_seed(normFirst ? 12 : 13);
        var model = nn.Sequential(
            ("encoder", new TransformerEncoderBlock("encoder", 8, 2, 12, dropout: 0.0, normFirst: normFirst)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(5 * 8, 3)));
        var x = randn(7, 5, 8);
        var y = randint(0, 3, 7);
        string[] expectedLayers =
        [
            "encoder.self_attn.q_proj", "encoder.self_attn.k_proj", "encoder.self_attn.v_proj",
            "encoder.self_attn.out_proj", "encoder.linear1", "encoder.linear2", "fc",
        ];
        GroupGradientCheck.Run(model, x, o => nn.functional.cross_entropy(o, y, reduction: nn.Reduction.None),
            [0, 1, 1, 0, 1, 1, 1], ["a", "b", "c"], expectedLayers);
    }
}
