using AutoSpec.Capture;

namespace AutoSpec.Introspection;

/// <summary>One step as the consumers see it after backward: where it is, its batch, and the factors captured.</summary>
/// <param name="Info">Epoch, step and batch size.</param>
/// <param name="Factors">A and Δ of every watched layer (and gate) that ran; empty when nothing was captured. The probe releases them after the step's work.</param>
/// <param name="SampleGroup">Group index of every sample of the batch.</param>
/// <param name="SampleSubject">Subject of every sample, or null (every sample its own subject).</param>
internal sealed record CapturedStep(StepInfo Info, IReadOnlyList<LayerFactors> Factors, int[] SampleGroup, int[]? SampleSubject);
