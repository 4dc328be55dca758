namespace AutoSpec.Training;

/// <summary>
/// The subject-level k-fold assignment made by <see cref="SubjectKFold.Create(Data.Dataset, int, int, bool)"/>:
/// which fold every subject's samples are validated in. Record <see cref="Assignment"/> in the manifest to document
/// the split of every subject.
/// </summary>
public sealed class SubjectFolds
{
    private readonly int[] _subjectOfSample;
    private readonly Dictionary<string, int> _indexOf;

    internal SubjectFolds(int foldCount, int seed, bool byGroup, string[] subjects, int[] foldOfSubject, int[] subjectOfSample, IReadOnlyList<string> warnings)
    {
        FoldCount = foldCount;
        Seed = seed;
        StratifiedByGroup = byGroup;
        Subjects = subjects;
        FoldOfSubject = foldOfSubject;
        _subjectOfSample = subjectOfSample;
        Warnings = warnings;
        _indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < subjects.Length; s++)
        {
            _indexOf[subjects[s]] = s;
        }
    }

    /// <summary>k: the number of folds.</summary>
    public int FoldCount { get; }

    /// <summary>The seed of the shuffle; another seed gives another (equally stratified) assignment.</summary>
    public int Seed { get; }

    /// <summary>True when subjects were stratified by (label, group) rather than by label alone.</summary>
    public bool StratifiedByGroup { get; }

    /// <summary>Distinct subject ids, in order of first appearance in the data.</summary>
    public IReadOnlyList<string> Subjects { get; }

    /// <summary>Validation fold (0-based) of each entry of <see cref="Subjects"/>.</summary>
    public IReadOnlyList<int> FoldOfSubject { get; }

    /// <summary>Non-fatal findings, e.g. a class with fewer subjects than folds.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Subject id → validation fold, in <see cref="Subjects"/> order (for the manifest).</summary>
    public IReadOnlyDictionary<string, int> Assignment =>
        Subjects.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => FoldOfSubject[p.i], StringComparer.Ordinal);

    /// <summary>Validation fold of <paramref name="subject"/>.</summary>
    public int FoldOf(string subject) => _indexOf.TryGetValue(subject, out var s)
        ? FoldOfSubject[s]
        : throw new ArgumentException($"unknown subject '{subject}'", nameof(subject));

    /// <summary>
    /// Sample indices (ascending) of training (all other folds) and validation (fold <paramref name="fold"/>). Every
    /// sample of a subject is on the same side.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is not one of the folds.</exception>
    public (int[] Train, int[] Validation) Split(int fold)
    {
        if (fold < 0 || fold >= FoldCount)
        {
            throw OptionErrors.OutOfRange(nameof(fold), fold, $"must be in 0..{FoldCount - 1} for {FoldCount} folds (got {fold}).");
        }
        var train = new List<int>();
        var validation = new List<int>();
        for (var i = 0; i < _subjectOfSample.Length; i++)
        {
            (FoldOfSubject[_subjectOfSample[i]] == fold ? validation : train).Add(i);
        }
        return ([.. train], [.. validation]);
    }
}
