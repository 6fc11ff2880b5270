using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using Grader.Cli.Service;
using Grader.Core.Grading;
using Spectre.Console;

namespace Grader.Cli.Instructor;

/// <summary>The instructor verbs against the server: upload, gradebook, regrade (validate is local).</summary>
internal static class InstructorCommands
{
    // Exit code of `upload --publish` when the server's validation of the package failed.
    public const int ValidationFailed = 1;

    public static Command Upload(Option<bool> json)
    {
        var dir = new Argument<DirectoryInfo>("assignment-dir") { Description = "The package folder to upload (zipped as it is; files and folders starting with '.' are left out)." };
        var publish = new Option<bool>("--publish")
        {
            Description = "Publish it once the server has validated it (reference full marks, starter 0, every recorded mistake as declared): waits for the validation, prints it, and exits 1 if it failed.",
        };
        var timeout = new Option<int>("--timeout") { Description = "With --publish: seconds to wait for the validation.", DefaultValueFactory = _ => 600 };
        var command = new Command("upload", "Upload a package to the server (a new version when it changed; the server validates it in its sandbox), and publish it with --publish.") { dir, publish, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var folder = parse.GetValue(dir)!;
            if (!folder.Exists)
            {
                throw new CliException($"{folder.FullName}: no such folder.");
            }
            var publishing = parse.GetValue(publish);
            using var client = ServerClient.LoggedIn();
            var content = new ByteArrayContent(Zip(folder));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            var uploaded = await terminal.WithSpinnerAsync($"Uploading {folder.Name}",
                _ => client.PostAsync<UploadedView>($"api/instructor/assignments?publish={(publishing ? "true" : "false")}", content, cancellationToken));
            if (!publishing)
            {
                if (terminal.Json)
                {
                    terminal.WriteJson(uploaded);
                }
                else
                {
                    terminal.Success($"{uploaded.AssignmentId}: {(uploaded.Created ? "new" : "unchanged, still")} version {uploaded.Version}, validation {uploaded.Validation}, " +
                        (uploaded.Published ? "published." : "not published (upload with --publish to publish it once it validates)."));
                }
                return 0;
            }
            var limit = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout)));
            var version = await terminal.WithSpinnerAsync($"Validating {uploaded.AssignmentId} version {uploaded.Version} on the server",
                status => WaitForValidationAsync(client, uploaded, limit, status, cancellationToken));
            if (terminal.Json)
            {
                terminal.WriteJson(version);
            }
            else
            {
                WriteValidation(terminal, uploaded, version);
            }
            return version.Validation == "Passed" && version.Published ? 0 : ValidationFailed;
        });
        return command;
    }

    private static async Task<VersionView> WaitForValidationAsync(ServerClient client, UploadedView uploaded, TimeSpan limit, Action<string> status, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var version = await client.GetAsync<VersionView>(uploaded.Location.TrimStart('/'), cancellationToken);
            if (version.IsValidated)
            {
                return version;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new CliException($"{uploaded.AssignmentId} version {uploaded.Version} is still {version.Validation} after {limit.TotalSeconds:0} s (are the server's workers running?). " +
                    $"It is published when it passes; check it with GET {uploaded.Location}.");
            }
            status($"Validating {uploaded.AssignmentId} version {uploaded.Version}: {version.Validation}");
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static void WriteValidation(Terminal terminal, UploadedView uploaded, VersionView version)
    {
        var report = version.Report;
        foreach (var check in report?.Checks ?? [])
        {
            terminal.Out.MarkupLine($"  [green]ok[/] {Terminal.Safe(check)}");
        }
        if (report is { Mistakes.Count: > 0 })
        {
            var table = new Table().AddColumns("Mistake", "Declared", "Got", "Missing messages");
            foreach (var m in report.Mistakes)
            {
                table.AddRow(StudentCommands.Cell(m.File), Number($"{m.DeclaredScore:0.##}"), Number($"{m.Score:0.##}"),
                    StudentCommands.Cell(m.MissingMessages.Count == 0 ? "—" : string.Join(" | ", m.MissingMessages)));
            }
            terminal.Out.Write(table);
        }
        if (version.Validation == "Passed")
        {
            terminal.Success($"{uploaded.AssignmentId}: version {version.Version} passed validation and is {(version.Published ? "published" : "not current (a newer version was uploaded)")}.");
            return;
        }
        foreach (var problem in report?.Problems ?? [])
        {
            terminal.Out.MarkupLine($"  [red]problem[/] {Terminal.Safe(problem)}");
        }
        terminal.Out.MarkupLine($"[red]{Terminal.Safe($"{uploaded.AssignmentId}: version {version.Version} failed validation and was not published. Fix the package (grader validate runs the same checks locally) and upload it again.")}[/]");
    }

    public static Command Gradebook(Option<bool> json)
    {
        var id = new Argument<string>("assignment-id") { Description = "The assignment." };
        var csv = new Option<bool>("--csv") { Description = "Print the gradebook as CSV (for a spreadsheet or an LMS import)." };
        var command = new Command("gradebook", "Show every student's counting grade for an assignment.") { id, csv };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var path = $"api/instructor/assignments/{Uri.EscapeDataString(parse.GetValue(id)!)}/gradebook";
            using var client = ServerClient.LoggedIn();
            if (parse.GetValue(csv))
            {
                Terminal.WriteText(TerminalText.Sanitize(await client.GetTextAsync(path + ".csv", cancellationToken), int.MaxValue, multiline: true));
                return 0;
            }
            var entries = await client.GetAsync<GradebookEntryView[]>(path, cancellationToken);
            if (terminal.Json)
            {
                terminal.WriteJson(entries);
                return 0;
            }
            var table = new Table().AddColumns("Student", "Raw score", "Days late", "Penalty", "Score", "Submission");
            foreach (var e in entries)
            {
                table.AddRow(StudentCommands.Cell(e.Student), Number($"{e.RawScore:0.##} / {e.MaxScore:0.##}"), Number($"{e.DaysLate}"),
                    Number($"{e.Penalty:0.##}"), Number($"{e.Score:0.##}"), StudentCommands.Cell(e.SubmissionId.ToString()));
            }
            terminal.Out.Write(table);
            return 0;
        });
        return command;
    }

    public static Command Regrade(Option<bool> json)
    {
        var id = new Argument<string>("assignment-id") { Description = "The assignment whose latest submissions are graded again against its current version." };
        var command = new Command("regrade", "Grade every student's latest submission again (after a new version of the package) and follow the progress.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var assignmentId = Uri.EscapeDataString(parse.GetValue(id)!);
            using var client = ServerClient.LoggedIn();
            var started = await client.PostAsync<RegradeView>($"api/instructor/assignments/{assignmentId}/regrade", null, cancellationToken);
            var statusPath = $"api/instructor/assignments/{assignmentId}/regrades/{started.RegradeId}";
            RegradeStatusView status;
            if (terminal.Interactive && !terminal.Json)
            {
                status = await terminal.Err.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"Regrading {started.Queued} submissions", maxValue: Math.Max(1, started.Queued));
                        return await PollAsync(client, statusPath, s => task.Value = s.Finished, cancellationToken);
                    });
            }
            else
            {
                status = await PollAsync(client, statusPath, _ => { }, cancellationToken);
            }
            if (terminal.Json)
            {
                terminal.WriteJson(status);
            }
            else
            {
                terminal.Success($"Regraded {status.Finished} of {status.Total} submissions against version {started.Version}; {status.Changed} changed score.");
            }
            return 0;
        });
        return command;
    }

    private static async Task<RegradeStatusView> PollAsync(ServerClient client, string path, Action<RegradeStatusView> progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await client.GetAsync<RegradeStatusView>(path, cancellationToken);
            progress(status);
            if (status.Pending == 0)
            {
                return status;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static byte[] Zip(DirectoryInfo folder)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in folder.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(folder.FullName, file.FullName).Replace('\\', '/');
                // The same files AssignmentPackage.Load reads: editor and VCS droppings stay home.
                if (relative.Split('/').Any(part => part.StartsWith('.')))
                {
                    continue;
                }
                zip.CreateEntryFromFile(file.FullName, relative, CompressionLevel.Optimal);
            }
        }
        return buffer.ToArray();
    }

    private static Text Number(FormattableString value) => new(value.ToString(CultureInfo.InvariantCulture));
}
