namespace AutoSpec.Introspection;

/// <summary>Where in training a recorded row belongs.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Step">0-based global optimiser step (counts across epochs).</param>
/// <param name="BatchSamples">Number of samples in the step's mini-batch (N).</param>
public sealed record StepInfo(int Epoch, long Step, int BatchSamples);
