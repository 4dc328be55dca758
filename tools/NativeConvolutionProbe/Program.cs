using TorchSharp;
using static TorchSharp.torch;

// libtorch's own CPU convolution on this machine, without AutoSpec code: (1) the float32 layer against the same layer
// in float64 (same weights and input), output and gradients, for stride-1 shapes of the zoo's CNNs; (2) repeated
// forward and backward passes of two stacked Conv1d on identical input: how many are not finite, how many differ
// from the first, and by how much. Arguments: [repetitions (default 200)] [torch threads (default 1)].
int repetitions = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200;
torch.set_num_threads(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, torch threads {torch.get_num_threads()}");

Console.WriteLine("float32 against float64, largest |difference| / largest |float64 value|:");
foreach (var (name, make, input) in new (string, Func<nn.Module<Tensor, Tensor>>, long[])[]
{
    ("Conv1d 3→5, k4, stride 1", () => nn.Conv1d(3, 5, 4), [4, 3, 23]),
    ("Conv1d 53→64, k5, stride 1, padding 2", () => nn.Conv1d(53, 64, 5, padding: 2), [4, 53, 140]),
    ("Conv1d 53→64, k5, stride 2, padding 2", () => nn.Conv1d(53, 64, 5, stride: 2, padding: 2), [4, 53, 140]),
    ("Conv3d 1→8, k3, stride 1, padding 1", () => nn.Conv3d(1, 8, 3, padding: 1), [2, 1, 32, 32, 32]),
    ("Conv3d 8→16, k3, stride 1, padding 1", () => nn.Conv3d(8, 16, 3, padding: 1), [2, 8, 16, 16, 16]),
})
{
    torch.random.manual_seed(1);
    using var scope = torch.NewDisposeScope();
    var single = make();
    var dbl = make();
    dbl.load_state_dict(single.state_dict());
    dbl.to(float64);
    var x = randn(input).requires_grad_(true);
    var x64 = x.detach().to(float64).requires_grad_(true);
    var y = single.call(x);
    var upstream = randn_like(y);
    y.backward([upstream]);
    var y64 = dbl.call(x64);
    y64.backward([upstream.to(float64)]);
    var p = single.parameters().First();
    var p64 = dbl.parameters().First();
    Console.WriteLine($"  {name}: output {Error(y, y64):G2}, input gradient {Error(x.grad!, x64.grad!):G2}, weight gradient {Error(p.grad!, p64.grad!):G2}");
}

{
    torch.random.manual_seed(2);
    using var a = nn.Conv1d(53, 64, 5, stride: 2, padding: 3, dilation: 3);
    using var b = nn.Conv1d(64, 128, 5, stride: 2, padding: 3, dilation: 3);
    var x = randn(32, 53, 140).requires_grad_(true);
    Tensor? first = null;
    int nonFinite = 0, differing = 0;
    double worst = 0;
    for (int r = 0; r < repetitions; r++)
    {
        using var scope = torch.NewDisposeScope();
        a.zero_grad();
        x.grad?.zero_();
        b.call(nn.functional.relu(a.call(x))).sum().backward();
        var g = cat([a.weight!.grad!.flatten(), x.grad!.flatten()]);
        if (!g.isfinite().all().item<bool>())
        {
            nonFinite++;
            continue;
        }
        if (first is null)
        {
            first = g.clone().DetachFromDisposeScope();
            continue;
        }
        double d = Error(g, first);
        differing += d > 0 ? 1 : 0;
        worst = Math.Max(worst, d);
    }
    Console.WriteLine($"stacked Conv1d 53→64→128 (k5, stride 2, padding 3, dilation 3), batch 32, 140 time points, {repetitions} passes:");
    Console.WriteLine($"  not finite: {nonFinite}; differing from the first: {differing}, by up to {worst:G2} of the largest entry");
}

static double Error(Tensor a, Tensor reference)
{
    using var scope = torch.NewDisposeScope();
    var r = reference.to(float64);
    return (a.to(float64) - r).abs().max().item<double>() / r.abs().max().item<double>();
}
