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
    public static Command Upload(Option<bool> json)
    {
        var dir = new Argument<DirectoryInfo>("assignment-dir") { Description = "The package folder to upload (zipped as it is; files and folders starting with '.' are left out)." };
        var publish = new Option<bool>("--publish") { Description = "Publish it to students as well." };
        var command = new Command("upload", "Upload a package to the server (a new version when it changed), and publish it with --publish.") { dir, publish };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            var folder = parse.GetValue(dir)!;
            if (!folder.Exists)
            {
                throw new CliException($"{folder.FullName}: no such folder.");
            }
            using var client = ServerClient.LoggedIn();
            var content = new ByteArrayContent(Zip(folder));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            var uploaded = await terminal.WithSpinnerAsync($"Uploading {folder.Name}",
                _ => client.PostAsync<UploadedView>($"api/instructor/assignments?publish={(parse.GetValue(publish) ? "true" : "false")}", content, cancellationToken));
            if (terminal.Json)
            {
                terminal.WriteJson(uploaded);
            }
            else
            {
                terminal.Success($"{uploaded.AssignmentId}: {(uploaded.Created ? "new" : "unchanged, still")} version {uploaded.Version}, {(uploaded.Published ? "published" : "not published (upload with --publish to publish it)")}.");
            }
            return 0;
        });
        return command;
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
