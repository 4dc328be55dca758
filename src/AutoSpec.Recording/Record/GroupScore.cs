namespace AutoSpec.Record;

/// <summary>How well the trained model classifies one group's validation samples (after the last epoch).</summary>
/// <param name="Group">Group name.</param>
/// <param name="Samples">Validation samples of the group.</param>
/// <param name="Subjects">Distinct subjects among them.</param>
/// <param name="Accuracy">Share of the samples whose most probable class is the label.</param>
/// <param name="Auc">ROC AUC (binary: of the positive class; several classes: macro one-vs-rest); null when the group's samples do not have both labels.</param>
/// <param name="Loss">Mean cross-entropy of the samples (from the model's softmax probabilities); null in manifests written before it was recorded.</param>
public sealed record GroupScore(string Group, int Samples, int Subjects, double Accuracy, double? Auc, double? Loss = null);
