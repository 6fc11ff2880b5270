using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Grader.Core.Assignments;
using Grader.Core.Grading.Comparators;

/// <summary>
/// The approach of Gradescope's C# autograder sample: every submission gets a project of its own,
/// holding the submission (its usings hoisted, the rest in a class) and a test harness over the
/// package's cases, built with <c>dotnet build</c> and run; the harness prints each case's result.
/// </summary>
internal sealed class GeneratedProjects(string root, AssignmentPackage package)
{
    private readonly string _work = Directory.CreateTempSubdirectory("grader-gradescope-style-").FullName;

    private const string Harness = """
        using System.Reflection;
        using System.Text.Json.Nodes;
        using Grader.Runner;

        var instance = new Submission();
        foreach (var node in JsonNode.Parse(File.ReadAllText(args[0]))!.AsArray())
        {
            var function = (string)node!["function"]!;
            var caseArgs = node["args"]!.AsArray();
            var method = typeof(Submission).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .First(m => m.Name == function && m.GetParameters().Length == caseArgs.Count);
            var line = new JsonObject { ["name"] = (string)node["name"]! };
            try
            {
                var values = method.GetParameters().Select((p, i) => PlainConverter.ToObject(caseArgs[i]?.DeepClone(), p.ParameterType)).ToArray();
                line["value"] = PlainConverter.ToPlain(method.Invoke(method.IsStatic ? null : instance, values));
                line["argsAfter"] = new JsonArray([.. values.Select(PlainConverter.ToPlain)]);
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                var chain = new JsonArray();
                for (var t = inner.GetType(); t is not null && t != typeof(object); t = t.BaseType)
                {
                    chain.Add(t.FullName);
                }
                line["fault"] = new JsonObject { ["type"] = inner.GetType().FullName, ["typeChain"] = chain, ["message"] = inner.Message };
            }
            Console.WriteLine(line.ToJsonString());
        }
        """;

    private string Project => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>disable</Nullable>
            <InvariantGlobalization>true</InvariantGlobalization>
            <AssemblyName>harness</AssemblyName>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="MathNet.Numerics" Version="5.0.0" />
            <Compile Include="{root}/src/Grader.Runner/PlainConverter.cs" />
            <Compile Include="{root}/src/Grader.Core/Sandbox/RunnerProtocol.cs" />
            <Compile Include="{root}/src/Grader.Core/Sandbox/NumpyRandomState.cs" />
          </ItemGroup>
        </Project>
        """;

    /// <summary>Builds one project first, untimed, so the packages are in the local cache as on a prepared image.</summary>
    public async Task PrepareAsync() => await BuildAndRunAsync(package.Reference, -1);

    public async Task<IReadOnlyDictionary<string, CallOutcome>> BuildAndRunAsync(string source, int index)
    {
        var dir = Path.Combine(_work, $"submission-{index + 1}");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "harness.csproj"), Project);
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), Harness);
        await File.WriteAllTextAsync(Path.Combine(dir, "Submission.cs"), Wrap(source));
        var cases = new JsonArray([.. package.Manifest.Cases.Select(c => new JsonObject
        {
            ["name"] = c.Name,
            ["function"] = c.Function,
            ["args"] = package.ResolvedArgs[c.Name].DeepClone(),
        })]);
        await File.WriteAllTextAsync(Path.Combine(dir, "cases.json"), cases.ToJsonString());
        await RunAsync(dir, "build", "-c", "Release", "-nologo", "-v", "q");
        var output = await RunAsync(dir, Path.Combine(dir, "bin", "Release", "net10.0", "harness.dll"), Path.Combine(dir, "cases.json"));
        var outcomes = new Dictionary<string, CallOutcome>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = JsonNode.Parse(line)!.AsObject();
            var fault = result["fault"] is JsonObject f
                ? new Grader.Core.Sandbox.RunnerFault((string)f["type"]!, [.. f["typeChain"]!.AsArray().Select(t => (string)t!)], (string)f["message"]!)
                : null;
            outcomes[(string)result["name"]!] = new CallOutcome { Value = result["value"]?.DeepClone(), Fault = fault, ArgsAfter = result["argsAfter"]?.DeepClone().AsArray() };
        }
        Directory.Delete(dir, recursive: true);
        return outcomes;
    }

    // The submission's using directives go before the class that holds everything else.
    private static string Wrap(string source)
    {
        var usings = new StringBuilder();
        var body = new StringBuilder();
        foreach (var line in source.Split('\n'))
        {
            (line.TrimStart().StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') ? usings : body).Append(line).Append('\n');
        }
        return $"{usings}\npublic partial class Submission\n{{\n{body}\n}}\n";
    }

    private static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed in {directory}: {await stdout} {await stderr}");
        }
        return await stdout;
    }
}
