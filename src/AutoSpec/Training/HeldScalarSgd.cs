using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Training;

/// <summary>
/// TorchSharp's SGD with a step that passes only held Scalars to libtorch. <c>SGD.step</c> of TorchSharp 0.107
/// converts the learning rate and momentum to temporary Scalars on every update, which a collection on another thread
/// can free while libtorch reads them (see <see cref="HeldScalars"/>). The update, the state and its saved form are
/// SGD's own (tested equal to TorchSharp's SGD, bit for bit).
/// </summary>
public sealed class HeldScalarSgd : SGD
{
    /// <summary>SGD with momentum over parameters (other settings as TorchSharp's defaults).</summary>
    public HeldScalarSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay = 0)
        : base(parameters, lr, momentum, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        using var momentumScalar = momentum.ToScalar();
        using var gradWeight = (1 - options.dampening!.Value).ToScalar();
        using var decay = weightDecay.ToScalar();
        using var rate = (options.maximize!.Value ? lr : -lr).ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null)
            {
                continue;
            }
            if (weightDecay != 0)
            {
                grad = grad.add(param, decay);
            }
            if (momentum != 0)
            {
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                    state.momentum_buffer = buffer;
                }
                else
                {
                    buffer.mul_(momentumScalar).add_(grad, gradWeight);
                }
                grad = options.nesterov!.Value ? grad.add(buffer, momentumScalar) : buffer;
            }
            param.add_(grad, rate);
        }
    }, closure);
}
