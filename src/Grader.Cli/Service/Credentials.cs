using System.Text.Json;

namespace Grader.Cli.Service;

/// <summary>The server and API key `grader login` stored, in the user's config folder, readable by the user only.</summary>
internal sealed record Credentials(string Server, string ApiKey, string UserId, string Role)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Path
    {
        get
        {
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(config, "grader", "credentials.json");
        }
    }

    public static Credentials? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Credentials>(File.ReadAllText(Path), Terminal.JsonOptions);
        }
        catch (JsonException)
        {
            throw new CliException($"{Path} is not valid: run `grader login <server-url>` again.");
        }
    }

    public static Credentials Require() =>
        Load() ?? throw new CliException("You are not logged in: run `grader login <server-url>` with the API key or sign-in link your course gave you.");

    public void Save()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A new file created with mode 0600 then renamed over the old one: the key is never readable by others, even briefly.
        var temporary = System.IO.Path.Combine(folder, $".credentials.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Terminal.JsonOptions);
        }
        File.Move(temporary, Path, overwrite: true);
    }

    public static bool Delete()
    {
        if (!File.Exists(Path))
        {
            return false;
        }
        File.Delete(Path);
        return true;
    }
}
