using System.Text.Json;
using System.Text.Json.Serialization;
using Grader.Core.Grading;
using Spectre.Console;

namespace Grader.Cli;

/// <summary>
/// Where a verb writes: its result (a report, a table, or JSON with --json) on stdout; spinners,
/// progress and errors on stderr, so that stdout can be piped. Text a submission or a server
/// controls goes through <see cref="TerminalText"/> and is never read as Spectre markup.
/// </summary>
internal sealed class Terminal
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public Terminal(bool json)
    {
        Json = json;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    }

    public bool Json { get; }

    public IAnsiConsole Out { get; }

    public IAnsiConsole Err { get; }

    /// <summary>Whether a spinner or a progress bar can be drawn (stderr is a terminal).</summary>
    public bool Interactive => !Console.IsErrorRedirected && Err.Profile.Capabilities.Interactive;

    public static string Safe(string? text) => Markup.Escape(TerminalText.Sanitize(text));

    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Plain text already made safe, written as it is (never as markup).</summary>
    public static void WriteText(string text) => Console.Out.Write(text);

    public void Note(string message) => Err.MarkupLine($"[grey]{Safe(message)}[/]");

    public void Success(string message) => Out.MarkupLine($"[green]{Safe(message)}[/]");

    /// <summary>Runs work under a spinner when stderr is a terminal, else with one line of status.</summary>
    public async Task<T> WithSpinnerAsync<T>(string status, Func<Action<string>, Task<T>> work)
    {
        if (!Interactive || Json)
        {
            return await work(_ => { });
        }
        return await Err.Status().Spinner(Spinner.Known.Dots).StartAsync(Safe(status), context => work(s => context.Status(Safe(s))));
    }
}

/// <summary>An error the user can act on: its message says what to do. Exit code 3.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>Exit codes of the verbs that grade (grade, test, submit, status).</summary>
internal static class ExitCodes
{
    public const int FullMarks = 0;
    public const int SomeCasesFailed = 1;
    public const int DidNotCompile = 2;
    public const int Error = 3;

    public static int For(GradeReport report) => report.Status switch
    {
        GradeStatus.Graded when report.Exercises.SelectMany(e => e.Cases).All(c => c.Verdict == CaseVerdict.Passed) => FullMarks,
        GradeStatus.Graded => SomeCasesFailed,
        GradeStatus.CompileError or GradeStatus.Rejected => DidNotCompile,
        _ => Error,
    };
}
