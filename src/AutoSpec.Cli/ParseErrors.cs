using System.Text.RegularExpressions;

namespace AutoSpec.Cli;

/// <summary>
/// Rewrites System.CommandLine's parse errors that name .NET types ("as expected type
/// 'System.Nullable`1[System.Int32]'") into what the user typed and what the option takes.
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>The message with type names replaced by "a whole number", "a number" or the enum's values.</summary>
    public static string InUserWords(string message)
    {
        var m = CannotParse().Match(message);
        if (!m.Success)
        {
            return message;
        }
        var (value, option, type) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value);
        var inner = NullableOf().Match(type) is { Success: true } n ? n.Groups[1].Value : type;
        string takes = inner switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            _ => EnumValues(inner) is { } names ? "one of " + string.Join(", ", names) : "a valid value",
        };
        return $"{option}: '{value}' is not {takes}.";
    }

    private static string[]? EnumValues(string typeName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(typeName) is { IsEnum: true } t)
            {
                return Enum.GetNames(t);
            }
        }
        return null;
    }

    [GeneratedRegex(@"Cannot parse argument '(.*)' for option '([^']+)' as expected type '([^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^System\.Nullable`1\[(.+)\]$")]
    private static partial Regex NullableOf();
}
