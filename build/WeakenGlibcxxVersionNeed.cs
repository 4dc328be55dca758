// MSBuild task (compiled by RoslynCodeTaskFactory at build time).
// Why: TorchSharp 0.107's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 (GCC 13) although no relocation uses
// it; Debian 12 ships GLIBCXX_3.4.30, so the loader refuses the library. Marking that one version need as weak
// (VER_FLG_WEAK) turns the refusal into a warning. See docs/TORCHSHARP.md in the AutoSpec repository.
// Used by build/AutoSpec.targets, both in the repository's own build and in the AutoSpec package (buildTransitive/).
// The file is rewritten through a temporary copy and File.Replace, so a hard link into the NuGet cache is never modified.
#nullable enable
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 2;

    [Required]
    public string Directory { get; set; } = "";

    public string FileName { get; set; } = "libLibTorchSharp.so";

    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return true;
        }
        foreach (var path in System.IO.Directory.GetFiles(Directory, FileName, SearchOption.AllDirectories))
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                var result = Weaken(bytes, VersionName);
                if (result == null)
                {
                    Log.LogMessage(MessageImportance.Low, "{0}: no hard need for {1}; left as is", path, VersionName);
                    continue;
                }
                var tmp = path + ".autospec-tmp";
                File.WriteAllBytes(tmp, result);
                File.Replace(tmp, path, null);
                Log.LogMessage(MessageImportance.Normal, "{0}: version need {1} marked weak", path, VersionName);
            }
            catch (Exception e)
            {
                Log.LogError("Could not patch {0}: {1}", path, e.Message);
                return false;
            }
        }
        return true;
    }

    /// <summary>Returns the patched image, or null when nothing needs changing (already weak or not present).</summary>
    private static byte[]? Weaken(byte[] b, string versionName)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }
        if (b[4] != 2 || b[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }
        long shoff = (long)BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }
            long offset = (long)BitConverter.ToUInt64(b, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(b, (int)sh + 44);
            long strtab = (long)BitConverter.ToUInt64(b, (int)(shoff + (long)link * shentsize) + 24);
            long vn = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    long name = strtab + BitConverter.ToUInt32(b, (int)aux + 8);
                    if (ReadCString(b, name) == versionName)
                    {
                        if ((flags & VerFlgWeak) != 0)
                        {
                            return null;
                        }
                        var patched = (byte[])b.Clone();
                        var newFlags = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                        patched[aux + 4] = newFlags[0];
                        patched[aux + 5] = newFlags[1];
                        return patched;
                    }
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        return null;
    }

    private static string ReadCString(byte[] b, long at)
    {
        long end = at;
        while (b[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }
}
