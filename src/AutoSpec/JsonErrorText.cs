using System.Text.Json;

namespace AutoSpec;

/// <summary>System.Text.Json errors said the way AutoSpec's messages name places in a user's JSON file.</summary>
internal static class JsonErrorText
{
    /// <summary>" line L at 'PATH': reason." (each part only when known), to follow the file's name.</summary>
    /// <param name="e">The error of reading the file.</param>
    public static string Describe(JsonException e)
    {
        var line = e.LineNumber is long l ? $" line {l + 1}" : "";
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at '{e.Path}'";
        return $"{line}{path}: {Reason(e.Message)}";
    }

    /// <summary>
    /// The reason of a System.Text.Json error, without the " Path: … | LineNumber: …" suffix that the caller reports
    /// itself, ending in a full stop. (Cutting at the first '.' would cut inside ".NET" or a type name such as
    /// "System.Int32".)
    /// </summary>
    public static string Reason(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }
        var reason = (cut < 0 ? message : message[..cut]).ReplaceLineEndings(" ").Trim();
        return reason.EndsWith('.') ? reason : reason + ".";
    }
}
