using Grader.Core.Grading;

namespace Grader.Core.Tests.Sandbox;

[Collection(HostileCollection.Name)]
public sealed class ReportSanitizingTests(HostileEngineFixture fixture)
{
    [Fact]
    public async Task A_submission_that_prints_escape_sequences_NUL_bidi_overrides_and_a_megabyte_produces_a_text_report_with_none_of_them_raw()
    {
        var program = HostileProgram.Load("terminal-escapes");

        var report = await fixture.GradeAsync(program.Source);
        var text = GradeReportText.Render(report, "Hostile submissions (hostile-submissions)");

        var cases = report.Exercises.SelectMany(e => e.Cases).ToDictionary(c => c.Name);
        Assert.Contains("\u001b[32mALL TESTS PASSED", cases["mean-small"].Output, StringComparison.Ordinal);
        Assert.Contains("\u001b]0;owned", cases["scale-small"].Message, StringComparison.Ordinal);
        foreach (var raw in new[] { '\u001b', '\0', '\u202e', '\u202c', '\u2066', '\u2069', '\u0007', '\u009b', '\r' })
        {
            Assert.DoesNotContain(raw, text);
        }
        Assert.Contains(@"\x1b[2J\x1b[H\x1b[32mALL TESTS PASSED\x1b[0m", text, StringComparison.Ordinal);
        Assert.Contains(@"NUL:\x00 bidi:\u202egnissap\u202c isolate:\u2066x\u2069 bell:\x07 csi:\x9b31m", text, StringComparison.Ordinal);
        Assert.Contains(@"\x1b]0;owned\x07\x1b[1A\x1b[2K  PASS  scale-small\x00\u202e", text, StringComparison.Ordinal);
        Assert.Contains("more characters cut]", text, StringComparison.Ordinal);
        Assert.True(text.Length < 2 * TerminalText.BlockChars, $"the report is {text.Length} characters long");
        // A printed line can never start a line of the report: each one carries the output gutter.
        Assert.DoesNotContain(text.Split('\n'), l => l.TrimStart().StartsWith("ALL TESTS PASSED", StringComparison.Ordinal));
    }
}
