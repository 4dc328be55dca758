namespace AutoSpec.Introspection;

/// <summary>A point of the training curves a loop reports through <see cref="IntrospectionProbe.AddCurve"/>.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Step">0-based global step the point belongs to (the last step of the epoch for whole-split points).</param>
/// <param name="Split"><see cref="TrainStep"/> (one mini-batch), <see cref="Train"/> or <see cref="Validation"/> (a whole
/// split), or a name of the caller's.</param>
/// <param name="Samples">Samples the point was evaluated on.</param>
/// <param name="Loss">Mean loss.</param>
/// <param name="Accuracy">Accuracy in [0, 1].</param>
/// <param name="Auc">ROC AUC, or null when not defined (one class present).</param>
/// <param name="Group">The group the point was evaluated on (split <see cref="ValidationGroup"/>), or <see cref="AllGroups"/>.</param>
public sealed record CurvePoint(int Epoch, long Step, string Split, int Samples, double Loss, double Accuracy, double? Auc, string Group = CurvePoint.AllGroups)
{
    /// <summary>Group of a point evaluated on every sample of its split.</summary>
    public const string AllGroups = "all";

    /// <summary>Split of a step's point: the mini-batch the step trained on.</summary>
    public const string TrainStep = "train_step";

    /// <summary>Split of an epoch's point on the whole training split.</summary>
    public const string Train = "train";

    /// <summary>Split of an epoch's point on the whole validation split.</summary>
    public const string Validation = "validation";

    /// <summary>
    /// Split of an epoch's point on one group's samples of the validation split (<see cref="Group"/> names it): a split of
    /// its own, so that readers of <see cref="Validation"/> never mix these rows in.
    /// </summary>
    public const string ValidationGroup = "validation_group";
}
