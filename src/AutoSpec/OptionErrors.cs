namespace AutoSpec;

/// <summary>
/// Reading and renaming the <see cref="ArgumentException"/>s the library throws for bad option values. Such an
/// exception's <see cref="ArgumentException.ParamName"/> is the option's path in the options record (e.g.
/// "Introspection.TopK" of a run configuration, "Training.Epochs") or the parameter of the method that took the value
/// (e.g. "layerNames"), and its message begins with that name when it reads as a sentence about it ("Training.Epochs
/// must be a positive integer (got 0)."). A front end shows the error under its own name for the option (a
/// command-line flag, a JSON field) with <see cref="Renamed(ArgumentException, Func{string, string})"/>.
/// </summary>
public static partial class OptionErrors
{
    /// <summary>
    /// An out-of-range option value: "<paramref name="paramName"/> <paramref name="requirement"/>" (e.g.
    /// "Training.Epochs" and "must be a positive integer (got 0).").
    /// </summary>
    public static ArgumentOutOfRangeException OutOfRange(string paramName, object? value, string requirement) =>
        new(paramName, value, $"{paramName} {requirement}");

    /// <summary>An unusable option value: "<paramref name="paramName"/>: <paramref name="detail"/>".</summary>
    public static ArgumentException Invalid(string paramName, string detail) => new($"{paramName}: {detail}", paramName);

    /// <summary>
    /// The message as the library wrote it: without .NET's " (Parameter 'name')" suffix and, for
    /// <see cref="ArgumentOutOfRangeException"/>, the "Actual value was …" line after it.
    /// </summary>
    public static string Detail(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        if (string.IsNullOrEmpty(e.ParamName))
        {
            return message;
        }
        // The suffix is built the runtime's way (and in its language) rather than spelled here.
        var suffix = new ArgumentException(string.Empty, e.ParamName).Message;
        int at = message.LastIndexOf(suffix, StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    /// <summary>
    /// <see cref="Detail"/> under another name for the option: a leading <see cref="ArgumentException.ParamName"/> is
    /// replaced by <paramref name="name"/> ("Training.Epochs must be …" → "--epochs must be …"); a message that does not
    /// begin with it gets "<paramref name="name"/>: " in front ("unknown layer 'x'" → "--layers: unknown layer 'x'").
    /// </summary>
    public static string Renamed(ArgumentException e, string name)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Renamed(e, path => path == e.ParamName ? name : null);
    }

    /// <summary>
    /// <see cref="Detail"/> with every option the message names under the front end's name for it: the
    /// <see cref="ArgumentException.ParamName"/> as in <see cref="Renamed(ArgumentException, string)"/>, and every
    /// other dotted option path in the text ("Training.Checkpoint") that <paramref name="rename"/> knows (null: kept).
    /// </summary>
    public static string Renamed(ArgumentException e, Func<string, string?> rename)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(rename);
        var detail = Detail(e);
        if (e.ParamName is { Length: > 0 } own && rename(own) is { } name)
        {
            detail = detail.StartsWith(own, StringComparison.Ordinal) && (detail.Length == own.Length || detail[own.Length] is ' ' or ':')
                ? name + detail[own.Length..]
                : $"{name}: {detail}";
        }
        // Only dotted paths: a bare word ("Out") may be part of a value the message quotes.
        return DottedPath().Replace(detail, m => rename(m.Value) ?? m.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.'/\\])[A-Z]\w*(\.[A-Z]\w*)+(?![\w'/\\])")]
    private static partial System.Text.RegularExpressions.Regex DottedPath();

    /// <summary>
    /// The same error under the name of the option that supplied the value: for a method that takes an option's value
    /// as an argument (<c>layerNames</c> of <see cref="Capture.ModelCapture.Attach"/> for "Introspection.Layers").
    /// </summary>
    public static ArgumentException WithParamName(ArgumentException e, string paramName)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ArgumentException(Renamed(e, paramName), paramName, e);
    }
}
