namespace AutoSpec.Training;

/// <summary>A seeded hold-out split that keeps each label's share in both parts.</summary>
public static class StratifiedSplit
{
    /// <summary>Sample indices of the training and validation parts (each ascending).</summary>
    /// <param name="labels">Class index per sample.</param>
    /// <param name="validationFraction">Share held out, per label, rounded; 0 = no validation.</param>
    /// <param name="seed">Seed of the shuffle within each label.</param>
    public static (int[] Train, int[] Validation) Create(int[] labels, double validationFraction, int seed)
    {
        if (validationFraction is < 0 or >= 1)
        {
            throw new InvalidInputException($"--validation-fraction must be in [0, 1) (got {validationFraction}).");
        }
        var rng = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (var label in labels.Distinct().Order())
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            rng.Shuffle(members);
            int held = (int)Math.Round(members.Length * validationFraction);
            if (validationFraction > 0 && held == 0 && members.Length > 1)
            {
                held = 1;
            }
            validation.AddRange(members[..held]);
            train.AddRange(members[held..]);
        }
        train.Sort();
        validation.Sort();
        return ([.. train], [.. validation]);
    }
}
