using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// LSTM, GRU or Elman RNN (multi-layer, optionally bidirectional, batch-first) built from Linear parts with an
/// explicit sequence loop, so that every weight's gradient factors into rows AutoSpec captures. Computes the same
/// function as TorchSharp's native nn.LSTM / nn.GRU / nn.RNN (see <see cref="CopyFrom"/>); the native layers run
/// as one opaque op and cannot be introspected.
/// </summary>
/// <remarks>
/// Input (N, T, input); output (N, T, H·directions), the hidden state of the last layer at every step.
/// Submodules are named l0, l0_reverse, l1, … each with ih and hh, mirroring the native parameter names
/// weight_ih_l0, weight_hh_l0_reverse, ….
/// </remarks>
public sealed class RecurrentNetwork : nn.Module<Tensor, Tensor>, Capture.IGatedLayers, Capture.ISharedAdjointLayers
{
    private readonly List<RecurrentDirection> _directions = [];
    private readonly Dropout? _dropout;

    /// <summary>Creates the network.</summary>
    public RecurrentNetwork(string name, RecurrentKind kind, long input, long hidden, int layers = 1,
        bool bidirectional = false, bool bias = true, double dropout = 0) : base(name)
    {
        if (layers < 1 || input < 1 || hidden < 1)
        {
            throw new ArgumentException("input, hidden and layers must be positive");
        }
        Kind = kind;
        Hidden = hidden;
        Layers = layers;
        Bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        for (int l = 0; l < layers; l++)
        {
            long width = l == 0 ? input : hidden * directions;
            for (int d = 0; d < directions; d++)
            {
                var suffix = d == 0 ? "" : "_reverse";
                var direction = new RecurrentDirection($"l{l}{suffix}", width, hidden, kind.Gates(), bias);
                _directions.Add(direction);
                register_module($"l{l}{suffix}", direction);
            }
        }
        if (dropout > 0 && layers > 1)
        {
            _dropout = nn.Dropout(dropout);
            register_module("dropout", _dropout);
        }
    }

    /// <summary>Cell kind.</summary>
    public RecurrentKind Kind { get; }

    /// <summary>Hidden size H.</summary>
    public long Hidden { get; }

    /// <summary>Number of stacked layers.</summary>
    public int Layers { get; }

    /// <summary>Whether each layer also runs backwards in time.</summary>
    public bool Bidirectional { get; }

    /// <inheritdoc />
    public IEnumerable<(nn.Module Layer, IReadOnlyList<string> Gates)> GatedLayers =>
        Kind.Gates() == 1
            ? []
            : _directions.SelectMany(d => new (nn.Module, IReadOnlyList<string>)[] { (d.InputToHidden, Kind.GateNames()), (d.HiddenToHidden, Kind.GateNames()) });

    /// <summary>
    /// LSTM and RNN: ih's and hh's outputs are added before any other use, so both receive the same adjoint, ih's
    /// sample-major (row s·T + t) and hh's time-major (row i·N + s for its i-th call, time t = i, or T − 1 − i
    /// backwards). Not GRU: its n gate takes r ∘ (hh's output), so hh's adjoint differs there.
    /// </summary>
    public IEnumerable<Capture.AdjointSharing> SharedAdjoints => Kind == RecurrentKind.Gru
        ? []
        : _directions.Select((d, k) =>
        {
            bool reverse = Bidirectional && k % 2 == 1;
            return new Capture.AdjointSharing(d.InputToHidden, d.HiddenToHidden, (n, steps) => HiddenRowsInInputRows(n, steps, reverse));
        });

    /// <summary>For every row of hh's factors (time-major), the row of ih's (sample-major) with the same adjoint.</summary>
    internal static long[] HiddenRowsInInputRows(int samples, int steps, bool reverse)
    {
        var map = new long[(long)samples * steps];
        for (int i = 0; i < steps; i++)
        {
            long t = reverse ? steps - 1 - i : i;
            for (int s = 0; s < samples; s++)
            {
                map[((long)i * samples) + s] = ((long)s * steps) + t;
            }
        }
        return map;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3)
        {
            throw new ArgumentException($"{GetName()}: expected input (batch, time, features), got [{string.Join(", ", input.shape)}]");
        }
        int directions = Bidirectional ? 2 : 1;
        var x = input;
        for (int l = 0; l < Layers; l++)
        {
            var outputs = new Tensor[directions];
            for (int d = 0; d < directions; d++)
            {
                outputs[d] = RunDirection(_directions[l * directions + d], x, reverse: d == 1);
            }
            x = directions == 1 ? outputs[0] : cat(outputs, 2);
            if (_dropout is not null && l < Layers - 1)
            {
                x = _dropout.call(x);
            }
        }
        return x;
    }

    private Tensor RunDirection(RecurrentDirection direction, Tensor x, bool reverse)
    {
        long n = x.shape[0], steps = x.shape[1];
        var gx = direction.InputToHidden.call(x); // (N, T, G·H): one call, rows = samples × steps
        var h = zeros(n, Hidden, x.dtype, x.device);
        var c = Kind == RecurrentKind.Lstm ? zeros(n, Hidden, x.dtype, x.device) : null;
        var hs = new Tensor[steps];
        for (long i = 0; i < steps; i++)
        {
            long t = reverse ? steps - 1 - i : i;
            var gh = direction.HiddenToHidden.call(h);
            var gt = gx.select(1, t);
            switch (Kind)
            {
                case RecurrentKind.Lstm:
                    {
                        var gates = gt.add(gh, HeldScalars.One).chunk(4, 1);
                        c = (gates[1].sigmoid() * c!).add(gates[0].sigmoid() * gates[2].tanh(), HeldScalars.One);
                        h = gates[3].sigmoid() * c.tanh();
                        break;
                    }
                case RecurrentKind.Gru:
                    {
                        var xg = gt.chunk(3, 1);
                        var hg = gh.chunk(3, 1);
                        var r = xg[0].add(hg[0], HeldScalars.One).sigmoid();
                        var z = xg[1].add(hg[1], HeldScalars.One).sigmoid();
                        var candidate = xg[2].add(r * hg[2], HeldScalars.One).tanh();
                        // 1 − z as −z + 1: the same value, with a held Scalar.
                        h = (z.neg().add_(HeldScalars.One, HeldScalars.One) * candidate).add(z * h, HeldScalars.One);
                        break;
                    }
                case RecurrentKind.RnnTanh:
                    h = gt.add(gh, HeldScalars.One).tanh();
                    break;
                default:
                    h = gt.add(gh, HeldScalars.One).relu();
                    break;
            }
            hs[t] = h;
        }
        return stack(hs, 1);
    }

    /// <summary>
    /// Copies the weights of a native nn.LSTM / nn.GRU / nn.RNN with the same sizes (parameters weight_ih_l0,
    /// weight_hh_l0, bias_ih_l0, bias_hh_l0, …_reverse), so both compute the same function.
    /// </summary>
    public void CopyFrom(nn.Module native)
    {
        var source = native.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        int directions = Bidirectional ? 2 : 1;
        using var noGrad = no_grad();
        for (int l = 0; l < Layers; l++)
        {
            for (int d = 0; d < directions; d++)
            {
                var suffix = d == 0 ? "" : "_reverse";
                var dir = _directions[l * directions + d];
                Copy(source, $"weight_ih_l{l}{suffix}", dir.InputToHidden.weight!);
                Copy(source, $"weight_hh_l{l}{suffix}", dir.HiddenToHidden.weight!);
                if (dir.InputToHidden.bias is { } bi)
                {
                    Copy(source, $"bias_ih_l{l}{suffix}", bi);
                }
                if (dir.HiddenToHidden.bias is { } bh)
                {
                    Copy(source, $"bias_hh_l{l}{suffix}", bh);
                }
            }
        }
    }

    private static void Copy(Dictionary<string, Parameter> source, string name, Tensor target)
    {
        if (!source.TryGetValue(name, out var p) || !p.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException($"native layer has no parameter '{name}' of shape [{string.Join(", ", target.shape)}]");
        }
        target.copy_(p);
    }
}
