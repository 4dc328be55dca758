namespace AutoSpec.Introspection;

/// <summary>
/// One kind of measurement a probe makes (spectra, σ(W), the audit dump, the permutation test). Each owns its
/// schedule, its state and that state's bytes in a checkpoint; the probe only captures factors when some consumer
/// asks for them and runs the consumers' work in step order.
/// </summary>
internal abstract class StepConsumer
{
    /// <summary>Name of the consumer's part of the checkpoint state.</summary>
    public abstract string Name { get; }

    /// <summary>Whether this step's layer factors must be captured for this consumer (asked when the step starts).</summary>
    public virtual bool Captures(int epoch, long step) => false;

    /// <summary>
    /// On the training thread after backward, before the optimiser changes the weights: takes what cannot wait and
    /// returns the rest as pipeline work (or null).
    /// </summary>
    public virtual ConsumerWork? AfterBackward(CapturedStep step) => null;

    /// <summary>After the last step of an epoch (on the training thread; returns pipeline work or null).</summary>
    public virtual ConsumerWork? EndEpoch(int epoch) => null;

    /// <summary>After the last step of training (on the training thread; returns pipeline work or null).</summary>
    /// <param name="next">The step after the last one (epoch of the last step, its step + 1, no samples).</param>
    public virtual ConsumerWork? Complete(StepInfo next) => null;

    /// <summary>Whether <see cref="Write"/> has anything to say.</summary>
    public virtual bool HasState => false;

    /// <summary>Writes the state a resumed run needs (called in step order, after the work posted before it).</summary>
    public virtual void Write(BinaryWriter writer)
    {
    }

    /// <summary>Restores the state written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The state does not fit this consumer.</exception>
    public virtual void Read(BinaryReader reader)
    {
    }
}
