namespace AutoSpec.Data;

/// <summary>
/// Options of <see cref="TimeCourseGenerator.Generate"/>: fMRI-like ICA time courses in the style of SimTB. Defaults:
/// 200 subjects, 10 components × 150 time points at TR 2 s, signals in 0.01–0.15 Hz, patients with correlated
/// components 0 and 1, and group "B" with correlated components 2 and 3 and 3× power in 0.06–0.12 Hz in component 4.
/// </summary>
/// <remarks>Record equality compares the list properties by reference.</remarks>
public sealed record TimeCourseOptions
{
    /// <summary>Number of subjects (one sample each). Default 200; at least 4.</summary>
    public int Subjects { get; init; } = 200;

    /// <summary>Number of components C. Default 10.</summary>
    public int Components { get; init; } = 10;

    /// <summary>Number of time points T. Default 150.</summary>
    public int TimePoints { get; init; } = 150;

    /// <summary>Repetition time (seconds between time points). Default 2.</summary>
    public double RepetitionTime { get; init; } = 2.0;

    /// <summary>Lower edge of the signal band in Hz. Default 0.01.</summary>
    public double LowHz { get; init; } = 0.01;

    /// <summary>Upper edge of the signal band in Hz; below the Nyquist frequency 1/(2 TR). Default 0.15.</summary>
    public double HighHz { get; init; } = 0.15;

    /// <summary>Standard deviation of white measurement noise added to the unit-variance signals. Default 0.5.</summary>
    public double NoiseLevel { get; init; } = 0.5;

    /// <summary>Group names; subjects are dealt to them in turn (equal sizes ±1). Default ["A", "B"].</summary>
    public IReadOnlyList<string> Groups { get; init; } = ["A", "B"];

    /// <summary>Component pairs correlated in patients (class 1): the signal the classifier learns. Default [(0, 1)].</summary>
    public IReadOnlyList<(int, int)> LabelPairs { get; init; } = [(0, 1)];

    /// <summary>Correlation of <see cref="LabelPairs"/> in patients (0 in controls). Default 0.6; in [-1, 1].</summary>
    public double LabelCorrelation { get; init; } = 0.6;

    /// <summary>The planted group effect. Default <see cref="TimeCourseEffect.Both"/>; None is the null.</summary>
    public TimeCourseEffect Effect { get; init; } = TimeCourseEffect.Both;

    /// <summary>Index into <see cref="Groups"/> of the group carrying the effect. Default 1 ("B").</summary>
    public int EffectGroup { get; init; } = 1;

    /// <summary>Pairs correlated in the effect group (with <see cref="TimeCourseEffect.Correlation"/>). Default [(2, 3)].</summary>
    public IReadOnlyList<(int, int)> EffectPairs { get; init; } = [(2, 3)];

    /// <summary>Correlation of <see cref="EffectPairs"/> in the effect group (0 elsewhere). Default 0.6.</summary>
    public double EffectCorrelation { get; init; } = 0.6;

    /// <summary>Components whose band power changes (with <see cref="TimeCourseEffect.BandPower"/>). Default [4].</summary>
    public IReadOnlyList<int> EffectComponents { get; init; } = [4];

    /// <summary>Lower edge of the band whose power changes, Hz. Default 0.06.</summary>
    public double EffectLowHz { get; init; } = 0.06;

    /// <summary>Upper edge of the band whose power changes, Hz. Default 0.12.</summary>
    public double EffectHighHz { get; init; } = 0.12;

    /// <summary>Factor on the power in the effect band. Default 3; positive.</summary>
    public double EffectPowerRatio { get; init; } = 3.0;

    /// <summary>Seed of every random draw. Default 0.</summary>
    public int Seed { get; init; }
}
