using System.Runtime.CompilerServices;

// libtorch 2.10's CPU convolution backward also returns NaN now and then when two test classes run convolutions at
// the same time from different threads (seen with one intra-op thread): test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AutoSpec.Tests.Support;

/// <summary>
/// The test process runs libtorch on one intra-op thread, set before any parallel work: stacked convolutions'
/// CPU backward races on several threads (see ConvolutionThreadingGuard), which would make the autograd references
/// of the layer tests flaky; one thread also keeps parallel test classes from oversubscribing the cores.
/// </summary>
internal static class SingleThreadedTorch
{
    [ModuleInitializer]
    internal static void Initialise() => TorchSharp.torch.set_num_threads(1);
}
