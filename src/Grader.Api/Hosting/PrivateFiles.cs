namespace Grader.Api.Hosting;

public static class PrivateFiles
{
    // Owner-only access (0600, or 0700 for a folder): for passwords and keys at rest.
    public static void Restrict(string path, bool directory = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, directory ? mode | UnixFileMode.UserExecute : mode);
    }
}
