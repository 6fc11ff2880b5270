using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Grader.Deploy.Tests;

/// <summary>
/// The settings Grader.Api reads: every section it binds with AddValidatedOptions (found in its
/// source, so a new section is covered without touching this file) and the connection string.
/// An environment variable Section__Key must name a settable property of that section's class,
/// and the values a deployment sets must bind and pass the same validation the service runs at start.
/// </summary>
internal static partial class AppSettings
{
    private static readonly Assembly Api = typeof(Program).Assembly;

    public static readonly IReadOnlyDictionary<string, Type> Sections = FindSections();

    // Read by the .NET host or the runtime, not by Grader's options.
    private static readonly string[] RuntimePrefixes = ["ASPNETCORE_", "DOTNET_"];

    public static IEnumerable<string> Problems(string where, IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var name in variables.Keys)
        {
            if (NameProblem(name) is { } problem)
            {
                yield return $"{where}: {name}: {problem}";
            }
        }
        var values = variables
            .Where(v => v.Value is not null && v.Key.Contains("__", StringComparison.Ordinal))
            .ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        foreach (var (section, type) in Sections)
        {
            var options = Activator.CreateInstance(type)!;
            string? bindError = null;
            try
            {
                configuration.GetSection(section).Bind(options);
            }
            catch (InvalidOperationException e)
            {
                bindError = e.InnerException?.Message ?? e.Message;
            }
            if (bindError is not null)
            {
                yield return $"{where}: section {section}: {bindError}";
                continue;
            }
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return $"{where}: {section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}";
                }
            }
        }
    }

    private static string? NameProblem(string name)
    {
        var parts = name.Split("__");
        if (parts.Length == 1)
        {
            return RuntimePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
                ? null
                : "not a Section__Key setting of Grader.Api nor a .NET host variable";
        }
        if (parts[0] == "ConnectionStrings")
        {
            return parts is [_, "Grader"] ? null : "the service reads only ConnectionStrings__Grader";
        }
        if (!Sections.TryGetValue(parts[0], out var type))
        {
            return $"no option section '{parts[0]}' (sections: {string.Join(", ", Sections.Keys)})";
        }
        // Configuration keys are case-insensitive; the binder matches properties the same way.
        var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || !property.CanWrite)
        {
            return $"{type.Name} has no settable property '{parts[1]}'";
        }
        if (parts.Length > 2)
        {
            bool list = property.PropertyType != typeof(string) && property.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable));
            if (!(list && parts.Length == 3 && int.TryParse(parts[2], out _)))
            {
                return $"{type.Name}.{property.Name} is not a list to index";
            }
        }
        return null;
    }

    private static Dictionary<string, Type> FindSections()
    {
        var sections = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var file in Repository.SourceFiles("src/Grader.Api"))
        {
            foreach (Match m in AddValidatedOptions().Matches(File.ReadAllText(file)))
            {
                var typeName = m.Groups["type"].Value;
                var type = Api.GetTypes().SingleOrDefault(t => t.Name == typeName)
                    ?? throw new InvalidOperationException($"{file} binds {typeName}, which Grader.Api does not define");
                sections[m.Groups["section"].Value] = type;
            }
        }
        return sections;
    }

    [GeneratedRegex("""AddValidatedOptions<(?<type>\w+)>\("(?<section>\w+)"\)""")]
    private static partial Regex AddValidatedOptions();
}
