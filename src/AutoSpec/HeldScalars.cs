using TorchSharp;

namespace AutoSpec;

/// <summary>
/// Scalars for TorchSharp ops, created explicitly and kept alive. A .NET number passed where an op takes a
/// <see cref="Scalar"/> (<c>t * 2.0</c>, <c>t.clamp_min(0)</c>, even <c>a + b</c> of two tensors, whose alpha
/// defaults to 1) becomes a temporary Scalar that owns a native c10::Scalar and frees it in its finaliser; nothing
/// refers to it once its handle is passed to libtorch, so a collection on another thread can free it while libtorch
/// still reads it ("Unknown scalar type", wrong values; tools/ScalarLifetimeRepro). The product therefore passes only
/// Scalars that outlive the call: these constants, or one made with <c>ToScalar()</c> and disposed after the call
/// (<c>using var s = x.ToScalar();</c>). <c>HeldScalarsTests</c> scans the compiled code for any other conversion.
/// </summary>
internal static class HeldScalars
{
    /// <summary>0 (an integer Scalar, which keeps the tensor's dtype).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1 (the alpha of a plain addition; an integer Scalar, which keeps the tensor's dtype).</summary>
    public static readonly Scalar One = 1.ToScalar();
}
