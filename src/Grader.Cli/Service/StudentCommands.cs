using System.CommandLine;
using System.Globalization;
using System.Text;
using Grader.Cli.Local;
using Grader.Core.Assignments;
using Grader.Core.Grading;
using Spectre.Console;

namespace Grader.Cli.Service;

/// <summary>The student verbs against the server: assignments, fetch, submit, status, history.</summary>
internal static class StudentCommands
{
    public static Command Assignments(Option<bool> json)
    {
        var command = new Command("assignments", "List the assignments published on the server you are logged in to.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            using var client = ServerClient.LoggedIn();
            var list = await client.GetAsync<AssignmentSummaryView[]>("api/assignments", cancellationToken);
            if (terminal.Json)
            {
                terminal.WriteJson(list);
                return 0;
            }
            var table = new Table().AddColumns("Id", "Title", "Course", "Week", "Points", "Due");
            foreach (var a in list)
            {
                table.AddRow(Cell(a.Id), Cell(a.Title), Cell(a.Course), Cell(a.Week?.ToString(CultureInfo.InvariantCulture)),
                    Cell(a.Points.ToString("0.##", CultureInfo.InvariantCulture) + (a.Graded ? "" : " (practice)")), Cell(Date(a.DueAt)));
            }
            terminal.Out.Write(table);
            return 0;
        });
        return command;
    }

    public static Command Fetch(Option<bool> json)
    {
        var id = new Argument<string>("assignment-id") { Description = "The assignment's id (see `grader assignments`)." };
        var into = new Option<DirectoryInfo?>("--dir") { Description = "Where to write the files (default: a folder named after the assignment)." };
        var command = new Command("fetch", $"Write an assignment's statement (README.md), starter, a {FetchedFolder.SolutionFile} to edit and its visible cases into a folder.")
        {
            id, into,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var assignmentId = parse.GetValue(id)!;
            using var client = ServerClient.LoggedIn();
            var part = await terminal.WithSpinnerAsync($"Fetching {assignmentId}",
                _ => client.GetAsync<VisiblePart>($"api/assignments/{Uri.EscapeDataString(assignmentId)}/visible", cancellationToken));
            var folder = parse.GetValue(into) ?? new DirectoryInfo(SafeFolderName(part.AssignmentId));
            var written = FetchedFolder.Write(folder, part);
            if (terminal.Json)
            {
                terminal.WriteJson(new { part.AssignmentId, part.Version, folder = folder.FullName, files = written, visibleCases = part.Cases.Count });
                return 0;
            }
            terminal.Success($"{part.Title} ({part.AssignmentId}, version {part.Version}) is in {folder.FullName}:");
            foreach (var file in written)
            {
                terminal.Out.WriteLine("  " + TerminalText.Sanitize(file));
            }
            terminal.Out.WriteLine($"Edit {FetchedFolder.SolutionFile}, then `grader test` to check it against the {part.Cases.Count} visible cases and `grader submit` to hand it in.");
            return 0;
        });
        return command;
    }

    public static Command Submit(Option<bool> json)
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = $"The solution to submit (default: {FetchedFolder.SolutionFile} in the current folder).",
            DefaultValueFactory = _ => new FileInfo(FetchedFolder.SolutionFile),
        };
        var assignment = new Option<string?>("--assignment") { Description = $"The assignment to submit to (default: the one `grader fetch` wrote {FetchedFolder.CasesFile} for, beside the file)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the submission's id and return without waiting for the grade." };
        var command = new Command("submit", "Upload your solution, watch it being graded, and show the feedback. Exit code: 0 full marks, 1 some cases failed, 2 did not compile or was refused, 3 grading failed or an error.")
        {
            file, assignment, noWait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var path = parse.GetValue(file)!;
            var assignmentId = parse.GetValue(assignment) ?? FetchedFolder.Read(path.Directory ?? new DirectoryInfo(".")).AssignmentId;
            var source = await LocalCommands.ReadSourceAsync(path, cancellationToken);
            using var client = ServerClient.LoggedIn();
            var content = new StringContent(source, Encoding.UTF8, "text/plain");
            // A fresh key per run: if the request is retried on the way, the server records one submission.
            content.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            var accepted = await terminal.WithSpinnerAsync($"Uploading {path.Name} to {assignmentId}",
                _ => client.PostAsync<AcceptedView>($"api/assignments/{Uri.EscapeDataString(assignmentId)}/submissions", content, cancellationToken));
            if (parse.GetValue(noWait))
            {
                return Show(terminal, await client.GetAsync<SubmissionView>($"api/submissions/{accepted.Id}", cancellationToken));
            }
            terminal.Note($"Submitted {path.Name} to {assignmentId}: submission {accepted.Id}.");
            return Show(terminal, await WaitAsync(terminal, client, accepted.Id, cancellationToken));
        });
        return command;
    }

    public static Command Status(Option<bool> json)
    {
        var id = new Argument<Guid?>("submission-id") { Description = "A submission's id (default: your latest submission).", Arity = ArgumentArity.ZeroOrOne };
        var wait = new Option<bool>("--wait") { Description = "Wait until it is graded." };
        var command = new Command("status", "Show a submission's status and, once graded, its feedback. Exit code as for submit (0 while it is still queued or running).")
        {
            id, wait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            using var client = ServerClient.LoggedIn();
            var submissionId = parse.GetValue(id)
                ?? (await client.GetAsync<SubmissionView[]>("api/submissions", cancellationToken)).FirstOrDefault()?.Id
                ?? throw new CliException("You have no submissions yet: `grader submit` hands one in.");
            var view = parse.GetValue(wait)
                ? await WaitAsync(terminal, client, submissionId, cancellationToken)
                : await client.GetAsync<SubmissionView>($"api/submissions/{submissionId}", cancellationToken);
            return Show(terminal, view);
        });
        return command;
    }

    public static Command History(Option<bool> json)
    {
        var assignment = new Argument<string?>("assignment-id") { Description = "Only this assignment's submissions.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("history", "List your submissions, newest first.") { assignment };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var assignmentId = parse.GetValue(assignment);
            using var client = ServerClient.LoggedIn();
            var list = await client.GetAsync<SubmissionView[]>(
                assignmentId is null ? "api/submissions" : $"api/assignments/{Uri.EscapeDataString(assignmentId)}/submissions", cancellationToken);
            if (terminal.Json)
            {
                terminal.WriteJson(list.Select(s => s with { Report = null }));
                return 0;
            }
            var table = new Table().AddColumns("Submission", "Assignment", "Submitted", "Status", "Score");
            foreach (var s in list)
            {
                table.AddRow(Cell(s.Id.ToString()), Cell(s.AssignmentId), Cell(Date(s.SubmittedAt)), Cell(s.Status), Cell(Score(s)));
            }
            terminal.Out.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>Long-polls the submission (the server holds each request up to 30 s) under a spinner showing its state.</summary>
    private static Task<SubmissionView> WaitAsync(Terminal terminal, ServerClient client, Guid id, CancellationToken cancellationToken) =>
        terminal.WithSpinnerAsync("Queued", async status =>
        {
            while (true)
            {
                var view = await client.GetAsync<SubmissionView>($"api/submissions/{id}?wait=30", cancellationToken);
                if (view.IsFinished)
                {
                    return view;
                }
                status(view.Status == "Running" ? "Grading" : "Queued: waiting for a grader");
            }
        });

    private static int Show(Terminal terminal, SubmissionView view)
    {
        if (terminal.Json)
        {
            terminal.WriteJson(view);
        }
        else if (view.Report is { } report)
        {
            Terminal.WriteText(GradeReportText.Render(report, $"{view.AssignmentId}: submission {view.Id}, {view.Status}"));
        }
        else
        {
            terminal.Out.WriteLine(TerminalText.Sanitize($"{view.AssignmentId}: submission {view.Id}: {view.Status}{(view.IsFinished ? "" : " (`grader status --wait` waits for the grade)")}"));
        }
        return view switch
        {
            { Report: { } r } => ExitCodes.For(r),
            { Status: "CompileError" or "Rejected" } => ExitCodes.DidNotCompile,
            { Status: "Failed" } => ExitCodes.Error,
            _ => 0,
        };
    }

    private static string SafeFolderName(string assignmentId) =>
        assignmentId.Length > 0 && !assignmentId.StartsWith('.') && assignmentId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? assignmentId
            : throw new CliException($"The server named the assignment '{assignmentId}', which is not a safe folder name: pass --dir.");

    internal static Text Cell(string? text) => new(TerminalText.Sanitize(text));

    internal static string Date(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    private static string Score(SubmissionView s) =>
        s.Score is { } score ? string.Create(CultureInfo.InvariantCulture, $"{score:0.##} / {s.MaxScore:0.##}") : "";
}
