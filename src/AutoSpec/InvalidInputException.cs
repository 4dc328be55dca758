namespace AutoSpec;

/// <summary>
/// A user-supplied input (file, column, option value) cannot be used. The message names the file, row, column or
/// option and says what was expected; the CLI prints it as one line and exits non-zero.
/// </summary>
public sealed class InvalidInputException(string message) : Exception(message);
