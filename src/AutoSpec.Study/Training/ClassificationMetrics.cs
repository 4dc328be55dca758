namespace AutoSpec.Training;

/// <summary>Accuracy and ROC AUC from class probabilities.</summary>
internal static class ClassificationMetrics
{
    /// <summary>Fraction of samples whose most probable class is the label.</summary>
    public static double Accuracy(float[] probabilities, int classes, int[] labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (probabilities[i * classes + c] > probabilities[i * classes + best])
                {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return labels.Length == 0 ? double.NaN : (double)correct / labels.Length;
    }

    /// <summary>
    /// ROC AUC: binary = AUC of class 1's probability; more classes = mean of the one-vs-rest AUCs of the classes
    /// present with both positives and negatives. Null when no class has both.
    /// </summary>
    public static double? RocAuc(float[] probabilities, int classes, int[] labels)
    {
        var aucs = new List<double>();
        for (int c = classes == 2 ? 1 : 0; c < classes; c++)
        {
            var scores = new double[labels.Length];
            var positive = new bool[labels.Length];
            for (int i = 0; i < labels.Length; i++)
            {
                scores[i] = probabilities[i * classes + c];
                positive[i] = labels[i] == c;
            }
            if (BinaryAuc(scores, positive) is double auc)
            {
                aucs.Add(auc);
            }
        }
        return aucs.Count == 0 ? null : aucs.Average();
    }

    /// <summary>
    /// Mann–Whitney form of the AUC: P(score of a positive &gt; score of a negative), ties counted one half, from
    /// mid-ranks. Written by hand: none of the packages on the feed that the project uses provides it.
    /// </summary>
    public static double? BinaryAuc(double[] scores, bool[] positive)
    {
        int n = scores.Length;
        int positives = positive.Count(p => p);
        int negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = midRank;
            }
            i = j + 1;
        }
        double rankSum = 0;
        for (int i = 0; i < n; i++)
        {
            if (positive[i])
            {
                rankSum += ranks[i];
            }
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
