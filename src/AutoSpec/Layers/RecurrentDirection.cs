using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Layers;

/// <summary>
/// One layer and direction of a recurrent network: the input-to-hidden and hidden-to-hidden products as ordinary
/// Linear layers ("ih", "hh"), so that AutoSpec's capture sees their factors. ih runs once on the whole sequence
/// (rows = samples × time steps); hh runs once per time step (its rows of all steps are stacked).
/// </summary>
public sealed class RecurrentDirection : nn.Module
{
#pragma warning disable IDE1006 // Names match the submodule names in named_modules().
    private readonly Linear ih;
    private readonly Linear hh;
#pragma warning restore IDE1006

    /// <summary>Creates the two products with PyTorch's default initialisation U(−1/√H, 1/√H).</summary>
    public RecurrentDirection(string name, long input, long hidden, int gates, bool bias) : base(name)
    {
        ih = nn.Linear(input, gates * hidden, hasBias: bias);
        hh = nn.Linear(hidden, gates * hidden, hasBias: bias);
        double bound = 1.0 / Math.Sqrt(hidden);
        using (no_grad())
        {
            foreach (var p in new[] { ih.weight!, hh.weight!, ih.bias, hh.bias })
            {
                p?.uniform_(-bound, bound);
            }
        }
        RegisterComponents();
    }

    /// <summary>Input-to-hidden product.</summary>
    public Linear InputToHidden => ih;

    /// <summary>Hidden-to-hidden product.</summary>
    public Linear HiddenToHidden => hh;
}
