namespace AutoSpec.Cli;

/// <summary>Maps exceptions of a command to the exit codes: bad input → one "error:" line and 2.</summary>
internal static class CommandErrors
{
    /// <summary>Runs the command body and maps its exception, if any, to an exit code and one stderr line.</summary>
    public static int Guard(Action action, string cancelledMessage = "cancelled.") =>
        Guard(action, () => (cancelledMessage, ExitCodes.Cancelled));

    /// <summary>As above, with the message and exit code of a cancellation decided when it happens (Ctrl+C or SIGTERM).</summary>
    public static int Guard(Action action, Func<(string Message, int ExitCode)> cancelled)
    {
        try
        {
            action();
            return ExitCodes.Success;
        }
        catch (InvalidInputException e)
        {
            // One line, even when the message echoes a value the user typed with a line break in it.
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.InvalidInput;
        }
        catch (ArgumentException e) when (OptionFlags.TryDescribe(e, out var message))
        {
            // A run option the library refused, shown under the flag; other ArgumentExceptions are bugs (below).
            Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException)
        {
            var (message, exitCode) = cancelled();
            Console.Error.WriteLine(message);
            return exitCode;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failure;
        }
    }
}
