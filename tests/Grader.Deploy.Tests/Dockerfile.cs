using System.Text.Json;
using System.Text.RegularExpressions;

namespace Grader.Deploy.Tests;

// What deploy/Dockerfile's final stage promises a container: how it starts, where, on which port.
internal sealed record Dockerfile(IReadOnlyList<string> Entrypoint, string WorkDir, int ExposedPort)
{
    public const string RelativePath = "deploy/Dockerfile";

    public static Dockerfile Load()
    {
        var text = Repository.Read(RelativePath);
        // Instructions after the last FROM describe the image that runs.
        var final = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        string Instruction(string name) =>
            Regex.Matches(final, $@"^{name}\s+(.+)$", RegexOptions.Multiline) is { Count: > 0 } m
                ? m[^1].Groups[1].Value.Trim()
                : throw new InvalidOperationException($"{RelativePath} has no {name} in its final stage");
        var entrypoint = JsonSerializer.Deserialize<string[]>(Instruction("ENTRYPOINT"))!;
        return new Dockerfile(entrypoint, Instruction("WORKDIR"), int.Parse(Instruction("EXPOSE"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
