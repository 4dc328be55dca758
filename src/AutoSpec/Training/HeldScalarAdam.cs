using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Training;

/// <summary>
/// TorchSharp's Adam with a step that passes only held Scalars to libtorch. <c>Adam.step</c> of TorchSharp 0.107
/// converts its hyper-parameters to temporary Scalars on every update (<c>mul_(beta1)</c>, <c>alpha: 1 - beta1</c>),
/// which a collection on another thread can free while libtorch reads them (see <see cref="HeldScalars"/>). The
/// update, the state and its saved form are Adam's own (tested equal to TorchSharp's Adam, bit for bit).
/// </summary>
public sealed class HeldScalarAdam : Adam
{
    /// <summary>Adam over parameters (defaults as TorchSharp's).</summary>
    public HeldScalarAdam(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0)
        : base(parameters, lr, weight_decay: weightDecay)
    {
    }

    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        double weightDecay = options.weight_decay!.Value;
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradWeight = (1 - beta1).ToScalar();
        using var squareWeight = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        using var decay = weightDecay.ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = options.maximize!.Value ? param.grad?.neg() : param.grad;
            if (grad is null)
            {
                continue;
            }
            state.step += 1;
            double correction1 = 1 - Math.Pow(beta1, state.step);
            double correction2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0)
            {
                grad = grad.add(param, decay);
            }
            state.exp_avg.mul_(beta1Scalar).add_(grad, gradWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), squareWeight);
            using var rootCorrection2 = Math.Sqrt(correction2).ToScalar();
            Tensor denominator;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denominator = state.max_exp_avg_sq.sqrt().div(rootCorrection2).add_(eps, HeldScalars.One);
            }
            else
            {
                denominator = state.exp_avg_sq.sqrt().div(rootCorrection2).add_(eps, HeldScalars.One);
            }
            using var stepSize = (-(lr / correction1)).ToScalar();
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
