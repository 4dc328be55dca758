using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace AutoSpec.Data;

/// <summary>
/// SHA-256 of what a run trains on — sample shape, features, labels, groups and subject ids as loaded — so that a
/// resumed run can tell that its data file was edited even when sizes and counts are unchanged.
/// </summary>
internal static class DatasetFingerprint
{
    /// <summary>Lower-case hex SHA-256 of the dataset's content (independent of the file format it came from).</summary>
    public static string Of(Dataset data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(ReadOnlySpan<byte> bytes)
        {
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        void Text(IEnumerable<string> values)
        {
            foreach (var v in values)
            {
                Add(Encoding.UTF8.GetBytes(v));
            }
        }
        Add(MemoryMarshal.AsBytes(data.SampleShape.ToArray().AsSpan()));
        Add(MemoryMarshal.AsBytes(data.Features.AsSpan()));
        Add(MemoryMarshal.AsBytes(data.Labels.AsSpan()));
        Text(data.LabelNames);
        Text(data.Groups);
        Text(data.SubjectIds);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
