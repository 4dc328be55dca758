using AutoSpec.Data;

namespace AutoSpec.Training;

/// <summary>
/// Stratified k-fold cross-validation at the subject level: all samples (sessions, windows) of a subject fall in one
/// fold, and each fold gets its share of every class — or of every (class, group) pair.
/// </summary>
/// <remarks>
/// A subject's stratum is the label (and group) of its first sample. Subjects of each stratum, in order of first
/// appearance, are shuffled by a <see cref="Random"/> seeded with the seed, then the strata (in class order, then
/// group order) are dealt to folds 0, 1, …, k-1, 0, … with one running counter, so fold sizes differ by at most one
/// subject and each stratum's count per fold by at most one. Same (labels, subjects, groups, k, seed) ⇒ same folds;
/// repeat cross-validation with other seeds for replicates.
/// </remarks>
public static class SubjectKFold
{
    /// <summary>Assigns the subjects of <paramref name="data"/> to <paramref name="folds"/> folds.</summary>
    /// <param name="data">Labels, groups and subject ids per sample.</param>
    /// <param name="folds">k ≥ 2, at most the number of subjects.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="stratifyByGroup">Stratify by (label, group) instead of label only.</param>
    /// <exception cref="ArgumentOutOfRangeException">k below 2 or above the number of subjects (<see cref="ArgumentException.ParamName"/> "folds").</exception>
    public static SubjectFolds Create(Dataset data, int folds, int seed, bool stratifyByGroup = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(data.Labels, data.SubjectIds, stratifyByGroup ? data.Groups : null, folds, seed, data.LabelNames);
    }

    /// <summary>The same from plain arrays; <paramref name="groups"/> null = stratify by label only.</summary>
    public static SubjectFolds Create(
        IReadOnlyList<int> labels,
        IReadOnlyList<string> subjectIds,
        IReadOnlyList<string>? groups,
        int folds,
        int seed,
        IReadOnlyList<string>? labelNames = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(subjectIds);
        if (labels.Count != subjectIds.Count || (groups is not null && groups.Count != labels.Count))
        {
            throw new ArgumentException("labels, subject ids and groups need one entry per sample");
        }
        var subjectIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var subjects = new List<string>();
        var firstSample = new List<int>();
        var subjectOfSample = new int[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!subjectIndex.TryGetValue(subjectIds[i], out var s))
            {
                s = subjects.Count;
                subjectIndex[subjectIds[i]] = s;
                subjects.Add(subjectIds[i]);
                firstSample.Add(i);
            }
            subjectOfSample[i] = s;
        }
        if (folds < 2)
        {
            throw OptionErrors.OutOfRange(nameof(folds), folds, $"must be at least 2 (got {folds}).");
        }
        if (folds > subjects.Count)
        {
            throw OptionErrors.OutOfRange(nameof(folds), folds, $"{folds} exceeds the number of subjects ({subjects.Count}); every fold needs a subject.");
        }

        var strata = Enumerable.Range(0, subjects.Count)
            .GroupBy(s => (Label: labels[firstSample[s]], Group: groups?[firstSample[s]] ?? ""))
            .OrderBy(g => g.Key.Label).ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .ToList();
        var rng = new Random(seed);
        var foldOf = new int[subjects.Count];
        var counter = 0;
        var warnings = new List<string>();
        foreach (var stratum in strata)
        {
            var members = stratum.ToArray();
            rng.Shuffle(members);
            foreach (var s in members)
            {
                foldOf[s] = counter++ % folds;
            }
            if (members.Length < folds)
            {
                var label = labelNames is null ? stratum.Key.Label.ToString(System.Globalization.CultureInfo.InvariantCulture) : labelNames[stratum.Key.Label];
                var group = groups is null ? "" : $", group '{stratum.Key.Group}'";
                warnings.Add($"label '{label}'{group} has {Plural.Of(members.Length, "subject")} for {folds} folds: some validation folds have none.");
            }
        }
        return new SubjectFolds(folds, seed, groups is not null, [.. subjects], foldOf, subjectOfSample, warnings);
    }

    /// <summary>
    /// (train, validation) sample indices of fold <paramref name="fold"/> of <paramref name="folds"/> with
    /// <paramref name="seed"/>: shorthand for <c>Create(data, folds, seed, stratifyByGroup).Split(fold)</c>.
    /// </summary>
    public static (int[] Train, int[] Validation) Split(Dataset data, int folds, int fold, int seed, bool stratifyByGroup = false) =>
        Create(data, folds, seed, stratifyByGroup).Split(fold);
}
