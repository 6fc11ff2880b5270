using Grader.Core.Sandbox;

namespace Grader.Core.Grading;

/// <summary>
/// What a hidden case reports instead of an exception's type. The type a submission throws can
/// be chosen from its input (one exception class per digit, say), so a hidden case names only
/// one of a few broad kinds; a visible case shows the type and message as they are.
/// </summary>
internal static class FaultCategory
{
    public const string NotImplemented = "NotImplemented";
    public const string NullReference = "NullReference";
    public const string OutOfRange = "IndexOutOfRange";
    public const string Arithmetic = "Arithmetic";
    public const string InvalidArgument = "InvalidArgument";
    public const string InvalidOperation = "InvalidOperation";
    public const string Other = "OtherException";

    public static string Of(RunnerFault fault)
    {
        if (RunnerFaultTypes.IsRunnerMade(fault.Type))
        {
            // Said by the runner about the submission's shape (a missing function, a result too
            // large), not chosen by student code.
            return fault.Type;
        }
        bool Is(string type) => fault.TypeChain.Contains(type, StringComparer.Ordinal);
        return true switch
        {
            _ when Is("System.NotImplementedException") => NotImplemented,
            _ when Is("System.NullReferenceException") => NullReference,
            _ when Is("System.IndexOutOfRangeException") || Is("System.ArgumentOutOfRangeException") || Is("System.Collections.Generic.KeyNotFoundException") => OutOfRange,
            _ when Is("System.ArithmeticException") => Arithmetic,
            _ when Is("System.ArgumentException") => InvalidArgument,
            _ when Is("System.InvalidOperationException") => InvalidOperation,
            _ => Other,
        };
    }

    public static string Describe(string category) => category switch
    {
        NotImplemented => "it is not implemented yet",
        NullReference => "a null reference",
        OutOfRange => "an index or argument out of range",
        Arithmetic => "an arithmetic error such as a division by zero or an overflow",
        InvalidArgument => "an invalid argument, such as sizes that do not match",
        InvalidOperation => "an invalid operation, such as an empty sequence",
        RunnerFaultTypes.MissingFunction => "the function was not found",
        RunnerFaultTypes.ParameterTypeMismatch => "a parameter's type does not match the statement",
        RunnerFaultTypes.ResultTooLarge => "the result is too large to send back",
        RunnerFaultTypes.UnsupportedResult => "the result cannot be sent back as a value",
        _ => "another kind of exception",
    };
}
