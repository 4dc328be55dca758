namespace AutoSpec.Training;

/// <summary>z-scores features with means and standard deviations fitted on the training samples only.</summary>
internal static class FeatureScaler
{
    public static float[] FitTransform(float[] features, int featureCount, int[] trainRows)
    {
        var mean = new double[featureCount];
        var sq = new double[featureCount];
        foreach (var r in trainRows)
        {
            for (int j = 0; j < featureCount; j++)
            {
                double v = features[r * featureCount + j];
                mean[j] += v;
                sq[j] += v * v;
            }
        }
        var scaled = new float[features.Length];
        for (int j = 0; j < featureCount; j++)
        {
            mean[j] /= trainRows.Length;
            double var = sq[j] / trainRows.Length - mean[j] * mean[j];
            double sd = var > 1e-24 ? Math.Sqrt(var) : 1.0; // constant features stay centred, not divided by 0
            for (int i = 0; i < features.Length / featureCount; i++)
            {
                scaled[i * featureCount + j] = (float)((features[i * featureCount + j] - mean[j]) / sd);
            }
        }
        return scaled;
    }
}
