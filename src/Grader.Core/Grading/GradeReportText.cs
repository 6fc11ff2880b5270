using System.Globalization;
using System.Text;

namespace Grader.Core.Grading;

/// <summary>
/// A grade report as a student reads it in a terminal. Every string in it passes through
/// <see cref="TerminalText"/>: most of them (output, messages, exception names, values, compiler
/// diagnostics quoting the source) are written by the submission.
/// </summary>
public static class GradeReportText
{
    private const string Indent = "        ";

    /// <summary>The report under a heading such as the assignment's title and id.</summary>
    public static string Render(GradeReport report, string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(Safe(heading));
        text.AppendLine(Safe(report.Summary));
        foreach (var d in report.Diagnostics)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Safe(d.ToString())}");
        }
        foreach (var exercise in report.Exercises)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{Safe(exercise.Id)} {Safe(exercise.Title)}: {exercise.Score:0.##} / {exercise.MaxScore:0.##}");
            foreach (var c in exercise.Cases)
            {
                var hidden = c.Hidden ? " (hidden)" : "";
                if (c.Verdict == CaseVerdict.Passed)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  PASS  {Safe(c.Name)}{hidden}");
                    continue;
                }
                text.AppendLine(CultureInfo.InvariantCulture, $"  FAIL  {Safe(c.Name)}{hidden}: {c.Verdict}{(c.ErrorType is null ? "" : $" ({Safe(c.ErrorType)})")}");
                Line(text, "", c.Message);
                Line(text, "hint: ", c.Hint);
                Line(text, "input: ", c.Input);
                Line(text, "expected: ", c.Expected);
                Line(text, "got: ", c.Got);
                if (c.MaxDifference is { } diff)
                {
                    Line(text, "largest difference: ", string.Create(CultureInfo.InvariantCulture, $"{diff:G4}{(c.Where is null ? "" : $" at {c.Where}")}"));
                }
                Block(text, "console output:", c.Output?.TrimEnd());
            }
        }
        return text.ToString();
    }

    private static string Safe(string? value) => TerminalText.Sanitize(value);

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Indent}{label}{Safe(value)}");
        }
    }

    // Every line of the output carries a gutter, so printed text can never pass for a line of the report.
    private static void Block(StringBuilder text, string label, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{Indent}{label}");
        foreach (var line in TerminalText.Sanitize(value, TerminalText.BlockChars, multiline: true).Split('\n'))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{Indent}| {line}");
        }
    }
}
