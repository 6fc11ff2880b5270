using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

public sealed class RunnerStagingTests
{
    // A host under a folder the runner uid cannot traverse (a home directory of mode 0700) copies
    // the runner where it can. The self-contained runner is about 200 files, enough that summing
    // their times overflowed a long.
    [Fact]
    public void A_runner_of_many_files_under_a_closed_folder_is_staged_once_per_build()
    {
        var closed = Directory.CreateTempSubdirectory("grader-closed-").FullName;
        var staged = new List<string>();
        try
        {
            File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var runner = Path.Combine(closed, "runner");
            Directory.CreateDirectory(Path.Combine(runner, "sub"));
            for (int i = 0; i < 250; i++)
            {
                File.WriteAllText(Path.Combine(runner, i % 10 == 0 ? "sub" : "", $"file{i}.dll"), new string('x', i));
            }

            staged.Add(BubblewrapProbe.StageReadable(runner));
            staged.Add(BubblewrapProbe.StageReadable(runner));
            File.WriteAllText(Path.Combine(runner, "file7.dll"), "changed content");
            staged.Add(BubblewrapProbe.StageReadable(runner));

            Assert.StartsWith("/var/tmp/grader-runner-", staged[0], StringComparison.Ordinal);
            Assert.Equal(staged[0], staged[1]);
            Assert.NotEqual(staged[0], staged[2]);
            Assert.Equal(250, Directory.GetFiles(staged[0], "*", SearchOption.AllDirectories).Length);
            Assert.Equal(new string('x', 30), File.ReadAllText(Path.Combine(staged[0], "sub", "file30.dll")));
            Assert.Equal("changed content", File.ReadAllText(Path.Combine(staged[2], "file7.dll")));
        }
        finally
        {
            foreach (var copy in staged.Distinct())
            {
                Directory.Delete(copy, recursive: true);
            }
            Directory.Delete(closed, recursive: true);
        }
    }

    // A dotnet tool install leaves the runner's executable at mode 0744: the runner uid could read
    // it but not start it ("bwrap: execvp /runner/Grader.Runner: Permission denied").
    [Fact]
    public void A_runner_executable_only_its_owner_may_start_is_staged_startable_by_anyone()
    {
        var open = Directory.CreateTempSubdirectory("grader-open-").FullName;
        string? staged = null;
        try
        {
            File.SetUnixFileMode(open, (UnixFileMode)0b111_101_101);
            var executable = Path.Combine(open, "Grader.Runner");
            File.WriteAllText(executable, "#!/bin/sh\n");
            File.WriteAllText(Path.Combine(open, "Grader.Runner.dll"), "x");
            File.SetUnixFileMode(executable, (UnixFileMode)0b111_100_100);
            File.SetUnixFileMode(Path.Combine(open, "Grader.Runner.dll"), (UnixFileMode)0b110_100_100);

            staged = BubblewrapProbe.StageReadable(open);

            Assert.NotEqual(open, staged);
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.Combine(staged, "Grader.Runner")));
            Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(staged, "Grader.Runner.dll")));

            File.SetUnixFileMode(executable, (UnixFileMode)0b111_101_101);
            Assert.Equal(open, BubblewrapProbe.StageReadable(open));
        }
        finally
        {
            if (staged is not null && staged != open)
            {
                Directory.Delete(staged, recursive: true);
            }
            Directory.Delete(open, recursive: true);
        }
    }
}
