namespace AutoSpec.Training;

/// <summary>Receives progress of a run (the CLI shows it; tests ignore it).</summary>
public interface ITrainingProgress
{
    /// <summary>Training starts; <paramref name="totalSteps"/> optimiser steps will run.</summary>
    void Start(long totalSteps, int epochs);

    /// <summary>A step ended.</summary>
    void Step(int epoch, long step, double loss);

    /// <summary>An epoch ended, with its whole-split evaluation.</summary>
    void Epoch(int epoch, EpochResult result);
}

/// <summary>Loss, accuracy and ROC AUC of the training and validation splits after an epoch.</summary>
public sealed record EpochResult(double TrainLoss, double TrainAccuracy, double? TrainAuc, double? ValidationLoss,
    double? ValidationAccuracy, double? ValidationAuc);
