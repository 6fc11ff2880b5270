using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grader.Core.Assignments;
using Grader.Core.Grading;

namespace Grader.Cli;

/// <summary>The report as a student reads it in a terminal.</summary>
internal static class ReportText
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Render(GradeReport report, AssignmentManifest manifest)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{manifest.Title} ({manifest.Id})");
        text.AppendLine(report.Summary);
        foreach (var d in report.Diagnostics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {d}");
        }
        foreach (var exercise in report.Exercises)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{exercise.Id} {exercise.Title}: {exercise.Score:0.##} / {exercise.MaxScore:0.##}");
            foreach (var c in exercise.Cases)
            {
                var hidden = c.Hidden ? " (hidden)" : "";
                if (c.Verdict == CaseVerdict.Passed)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  PASS  {c.Name}{hidden}");
                    continue;
                }
                text.AppendLine(CultureInfo.InvariantCulture, $"  FAIL  {c.Name}{hidden}: {c.Verdict}{(c.ErrorType is null ? "" : $" ({c.ErrorType})")}");
                Line(text, "", c.Message);
                Line(text, "hint: ", c.Hint);
                Line(text, "input: ", c.Input);
                Line(text, "expected: ", c.Expected);
                Line(text, "got: ", c.Got);
                if (c.MaxDifference is { } diff)
                {
                    Line(text, "largest difference: ", string.Create(CultureInfo.InvariantCulture, $"{diff:G4}{(c.Where is null ? "" : $" at {c.Where}")}"));
                }
                Line(text, "console output: ", c.Output?.TrimEnd());
            }
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"        {label}{value}");
        }
    }
}
