using System.Text.Json;
using Grader.Core.Grading;
using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

/// <summary>
/// Every program under Sandbox/Hostile/ ends in the verdict its header declares, the host lives
/// on, no runner stays rented, nothing hidden or student-written reaches the report or the log,
/// and a correct submission graded right after still gets full marks.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class HostileSubmissionTests(HostileEngineFixture fixture)
{
    public static TheoryData<string> Programs() => [.. HostileProgram.Names().Where(n => !HostileProgram.Load(n).NeedsAllowlist)];

    public static TheoryData<string> ProgramsOnlyTheAllowlistStops() => [.. HostileProgram.Names().Where(n => HostileProgram.Load(n).NeedsAllowlist)];

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Hostile_program_ends_in_its_declared_verdict_and_the_next_submission_still_scores_full_marks(string name)
    {
        var program = HostileProgram.Load(name);

        var report = await fixture.GradeAsync(program.Source);

        await HostileChecks.AssertDeclaredVerdictAndRecoveryAsync(fixture, program, report);
    }

    [Theory]
    [MemberData(nameof(ProgramsOnlyTheAllowlistStops))]
    public async Task Hostile_program_the_allowlist_refuses_ends_in_its_declared_verdict_and_the_next_submission_still_scores_full_marks(string name)
    {
        var program = HostileProgram.Load(name);

        var report = await fixture.GradeAsync(program.Source);

        await HostileChecks.AssertDeclaredVerdictAndRecoveryAsync(fixture, program, report);
    }

    [Fact]
    public void There_are_at_least_thirty_hostile_programs_and_each_declares_a_verdict_for_every_case()
    {
        var programs = HostileProgram.Names().Select(HostileProgram.Load).ToList();

        Assert.True(programs.Count >= 30, $"only {programs.Count} hostile programs");
        foreach (var program in programs.Where(p => p.Statuses.Contains(GradeStatus.Graded)))
        {
            foreach (var spec in fixture.Package.Manifest.Cases)
            {
                Assert.True(program.Cases.Any(c => c.Selector == spec.Name || c.Selector == spec.Function || c.Selector == "*"),
                    $"{program.Name}.csx declares nothing for case {spec.Name}");
            }
        }
    }
}

/// <summary>The same checks in the fallback mode (no namespaces) for the programs that run away at run time.</summary>
[Collection(HostileCollection.Name)]
public sealed class FallbackHostileSubmissionTests(FallbackHostileEngineFixture fixture)
{
    public static TheoryData<string> Programs() => [.. HostileProgram.Names().Where(n => HostileProgram.Load(n).Fallback)];

    [Fact]
    public void The_fallback_engine_runs_without_bubblewrap_and_says_so()
    {
        Assert.False(fixture.Engine.UsesBubblewrap);
        Assert.StartsWith("fallback", fixture.Engine.IsolationMode, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Hostile_program_ends_in_its_declared_verdict_without_namespaces_too(string name)
    {
        var program = HostileProgram.Load(name);

        var report = await fixture.GradeAsync(program.Source);

        await HostileChecks.AssertDeclaredVerdictAndRecoveryAsync(fixture, program, report);
    }
}

internal static class HostileChecks
{
    private static readonly JsonSerializerOptions ReportJson = new(RunnerJson.Options) { WriteIndented = true };

    public static async Task AssertDeclaredVerdictAndRecoveryAsync(HostileEngineFixtureBase fixture, HostileProgram program, GradeReport report)
    {
        var json = JsonSerializer.Serialize(report, ReportJson);
        Assert.True(program.Statuses.Contains(report.Status), $"{program.Name}: expected {string.Join(" or ", program.Statuses)}, got {report.Status}: {json}");
        if (report.Status == GradeStatus.Graded)
        {
            AssertCases(fixture, program, report, json);
        }
        else
        {
            Assert.Equal(0, report.Score);
            Assert.Empty(report.Exercises);
            Assert.NotEmpty(report.Diagnostics);
            Assert.All(report.Diagnostics, d => Assert.True(d.Line >= 0 && d.Column >= 0));
            if (program.Diagnostic is { } text)
            {
                Assert.True(report.Diagnostics.Any(d => d.Message.Contains(text, StringComparison.OrdinalIgnoreCase)),
                    $"{program.Name}: no diagnostic mentions '{text}': {json}");
            }
            if (program.DiagnosticLine is { } line)
            {
                Assert.True(report.Diagnostics.Any(d => d.Line == line && d.Column >= 1),
                    $"{program.Name}: no diagnostic points at line {line}: {json}");
            }
        }
        foreach (var hidden in HostileEngineFixtureBase.HiddenValues)
        {
            Assert.DoesNotContain(hidden, json, StringComparison.Ordinal);
        }
        Assert.Equal(0, fixture.Engine.RunnersInUse);

        var benign = await fixture.GradeAsync(HostileEngineFixtureBase.Benign);

        Assert.True(benign.Status == GradeStatus.Graded && benign.Score == benign.MaxScore,
            $"after {program.Name}, a correct submission got: {JsonSerializer.Serialize(benign, ReportJson)}");
        Assert.Equal(100, benign.MaxScore);
        var log = fixture.Log.Text;
        Assert.DoesNotContain("HOSTILE", log, StringComparison.Ordinal);
        foreach (var hidden in HostileEngineFixtureBase.HiddenValues)
        {
            Assert.DoesNotContain(hidden, log, StringComparison.Ordinal);
        }
    }

    private static void AssertCases(HostileEngineFixtureBase fixture, HostileProgram program, GradeReport report, string json)
    {
        var cases = report.Exercises.SelectMany(e => e.Cases).ToList();
        Assert.Equal(fixture.Package.Manifest.Cases.Count, cases.Count);
        foreach (var c in cases)
        {
            var expected = program.For(c);
            Assert.True(expected.Verdicts.Contains(c.Verdict), $"{program.Name}: case {c.Name} should be {string.Join(" or ", expected.Verdicts)} but is {c.Verdict}: {json}");
            if (expected.ErrorType is { } errorType)
            {
                Assert.True(errorType == c.ErrorType, $"{program.Name}: case {c.Name} should fail with {errorType}, not {c.ErrorType}: {json}");
            }
            if (c.Verdict != CaseVerdict.Passed)
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Message), $"{program.Name}: case {c.Name} failed without a message");
            }
        }
        if (program.Message is { } message)
        {
            Assert.True(cases.Any(c => c.Verdict != CaseVerdict.Passed && c.Message.Contains(message, StringComparison.OrdinalIgnoreCase)),
                $"{program.Name}: no failed case's message mentions '{message}': {json}");
        }
        double expectedScore = fixture.Package.Manifest.Exercises.Sum(e =>
        {
            var own = fixture.Package.Manifest.Cases.Where(s => s.Exercise == e.Id).ToList();
            double passed = own.Where(s => cases.Single(c => c.Name == s.Name).Verdict == CaseVerdict.Passed).Sum(s => s.Weight);
            return Math.Round(e.Points * passed / own.Sum(s => s.Weight), 2);
        });
        Assert.Equal(expectedScore, report.Score, 2);
    }
}
