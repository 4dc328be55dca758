using System.Runtime.CompilerServices;

// Test classes run one after another: several train models or run the CLI, and on a shared 2-core machine parallel
// classes only fight for the cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AutoSpec.Tests.Support;

/// <summary>
/// The test process runs libtorch on one intra-op thread, set before any parallel work, so that the CLI processes and
/// background threads the tests start do not oversubscribe the cores.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => TorchSharp.torch.set_num_threads(1);
}
