using System.Buffers.Binary;
using System.Text;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Record;

/// <summary>A .npy header of thousands of nested brackets is refused as a bad header, not a stack overflow.</summary>
[Collection("cli")]
public sealed class NpyHeaderDepthTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A version 1.0 .npy whose header dict's shape is 30 000 nested '[' (60 KB, within the 64 KB limit).</summary>
    internal static byte[] DeeplyNested(int depth = 30_000)
    {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + new string('[', depth) + new string(']', depth) + ", }";
        var text = Encoding.Latin1.GetBytes(header.PadRight((header.Length + 10 + 63) / 64 * 64 - 10 - 1) + "\n");
        var bytes = new byte[10 + text.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)text.Length);
        text.CopyTo(bytes, 10);
        return bytes;
    }

    [Theory]
    [InlineData("data", "inspect")]
    [InlineData("run", "--data")]
    public void NestedBracketsAreRefused(string command, string option)
    {
        var path = _temp.Combine("deep.npy");
        File.WriteAllBytes(path, DeeplyNested());
        string[] args = command == "data"
            ? ["data", "inspect", path]
            : ["run", option, path, "--subjects", _temp.Combine("subjects.csv"), "--label", "y", "--group", "g", "--epochs", "1", "--out", _temp.Combine("run")];
        File.WriteAllText(_temp.Combine("subjects.csv"), "subject,y,g\ns1,a,x\ns2,b,y\n");

        var r = CliRunner.Run(args);

        Refusal.AssertErrorLine(r, "deep.npy", "nested more than 32 levels");
    }
}
