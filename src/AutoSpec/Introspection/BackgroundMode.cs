namespace AutoSpec.Introspection;

/// <summary>Where introspection work runs (see <see cref="IntrospectionOptions.Background"/>).</summary>
public enum BackgroundMode
{
    /// <summary>On a background thread when the machine has a core torch's threads leave free, else in the training thread.</summary>
    Auto,

    /// <summary>Always on a background thread (which takes the cores torch leaves free, at least one).</summary>
    On,

    /// <summary>In the training thread, between backward and the optimiser step.</summary>
    Off,
}
