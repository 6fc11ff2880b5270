using System.CommandLine;
using Grader.Cli.Instructor;
using Grader.Cli.Local;
using Grader.Cli.Service;
using Grader.Core.Grading;

namespace Grader.Cli;

/// <summary>The `grader` command: every verb, and one place that turns errors into a message and exit code 3.</summary>
internal static class GraderCommand
{
    public static RootCommand Build()
    {
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (for scripts) instead of text.", Recursive = true };
        var root = new RootCommand(
            """
            Grader: grade C# solutions to the Mathematics for Machine Learning assignments.
            Students: login, assignments, fetch, test, submit, status, history.
            Instructors: validate, grade, upload, gradebook, regrade.
            """)
        {
            json,
            AccountCommands.Login(json),
            AccountCommands.Logout(json),
            StudentCommands.Assignments(json),
            StudentCommands.Fetch(json),
            LocalCommands.Test(json),
            StudentCommands.Submit(json),
            StudentCommands.Status(json),
            StudentCommands.History(json),
            LocalCommands.Validate(json),
            LocalCommands.Grade(json),
            InstructorCommands.Upload(json),
            InstructorCommands.Gradebook(json),
            InstructorCommands.Regrade(json),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        try
        {
            int code = await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
            return parse.Errors.Count > 0 ? ExitCodes.Error : code;
        }
        catch (Exception e) when (e is CliException or ReferenceSolutionException)
        {
            var message = e is ReferenceSolutionException ? $"the package's reference solution is broken: {e.Message}" : e.Message;
            foreach (var line in message.Split('\n'))
            {
                Console.Error.WriteLine(line.Length == 0 ? "" : "grader: " + TerminalText.Sanitize(line.TrimEnd('\r')));
            }
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Error;
        }
    }
}
