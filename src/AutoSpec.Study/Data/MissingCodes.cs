using System.Globalization;

namespace AutoSpec.Data;

/// <summary>
/// Decides whether a cell is missing: empty, equal as text to a text code ("NA"), or equal as a number to a numeric
/// code (so "-9999", "-9999.0" and "-9.999e3" all match -9999).
/// </summary>
internal sealed class MissingCodes
{
    private readonly HashSet<string> _text;
    private readonly HashSet<double> _numbers;

    private MissingCodes(IReadOnlyList<string> codes, MissingValuePolicy policy, HashSet<string> text, HashSet<double> numbers)
    {
        Codes = codes;
        Policy = policy;
        _text = text;
        _numbers = numbers;
    }

    public IReadOnlyList<string> Codes { get; }

    public MissingValuePolicy Policy { get; }

    /// <summary>The codes of a data source, or null when it declares neither codes nor a policy (empty cells are then errors).</summary>
    /// <exception cref="InvalidInputException">A blank code, or a policy outside the enum.</exception>
    public static MissingCodes? Create(string path, IReadOnlyList<string>? codes, MissingValuePolicy? policy)
    {
        codes ??= [];
        if (codes.Count == 0 && policy is null)
        {
            return null;
        }
        if (policy is { } p && !Enum.IsDefined(p))
        {
            throw new InvalidInputException($"{path}: --missing-policy {(int)p} is not drop or impute.");
        }
        var text = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<double>();
        foreach (var code in codes)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                throw new InvalidInputException(
                    $"{path}: --missing lists an empty code; empty cells count as missing anyway once codes or --missing-policy are given.");
            }
            if (double.TryParse(code, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                numbers.Add(value);
            }
            else
            {
                text.Add(code);
            }
        }
        return new MissingCodes(codes, policy ?? MissingValuePolicy.Drop, text, numbers);
    }

    /// <summary>Whether <paramref name="cell"/> (trimmed text of a feature cell) is missing.</summary>
    public bool IsMissing(string cell) =>
        cell.Length == 0
        || _text.Contains(cell)
        || (_numbers.Count > 0 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && _numbers.Contains(v));

    /// <summary>The codes for a message: "-9999, NA and empty cells".</summary>
    public string Describe() => Codes.Count == 0 ? "empty cells" : $"{string.Join(", ", Codes)} and empty cells";
}
