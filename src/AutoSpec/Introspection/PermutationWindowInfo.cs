namespace AutoSpec.Introspection;

/// <summary>Where in training a window of the online permutation test lies.</summary>
/// <param name="Epoch">Epoch of the window's first recorded step.</param>
/// <param name="FirstStep">First recorded step of the window.</param>
/// <param name="LastStep">Last recorded step of the window.</param>
public sealed record PermutationWindowInfo(int Epoch, long FirstStep, long LastStep);
