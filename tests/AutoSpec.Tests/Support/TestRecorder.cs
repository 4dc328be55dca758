using AutoSpec.Introspection;
using AutoSpec.Record;

namespace AutoSpec.Tests.Support;

/// <summary>A run recorder in a test's folder, started as a probe with these options would start it.</summary>
internal static class TestRecorder
{
    public static RunRecorder Start(string directory, IntrospectionOptions options, IReadOnlyList<string>? groups = null)
    {
        var recorder = new RunRecorder(directory, new RunManifest { Run = "r", Configuration = [] });
        recorder.Start(new ProbeDescription(options, new Dictionary<string, string>(), groups ?? ["A", "B"], 0));
        return recorder;
    }
}
