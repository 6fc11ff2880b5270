using System.Reflection;
using System.Runtime.Loader;
using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

public sealed class ScriptCompilerTests
{
    [Fact]
    public async Task A_top_level_method_becomes_an_instance_method_of_the_submission_the_factory_creates()
    {
        var result = Compile("double F(double x) => x * 2;");

        Assert.Equal(CompileStatus.Ok, result.Status);
        Assert.NotNull(result.Assembly);
        var context = new AssemblyLoadContext("submission", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(result.Assembly)).GetType(CompileResult.ScriptClassName)!;
            var factory = type.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)!;
            Assert.Equal(typeof(Task<object>), factory.ReturnType);
            Assert.Equal([typeof(object[])], factory.GetParameters().Select(p => p.ParameterType));

            var slots = new object[2];
            var returned = await (Task<object>)factory.Invoke(null, [slots])!;

            Assert.Null(returned); // the script's own return value, of which this one has none
            var submission = slots[1];
            Assert.IsType(type, submission);
            var f = type.GetMethod("F", BindingFlags.Public | BindingFlags.Instance)!;
            Assert.Equal(6.0, f.Invoke(submission, [3.0]));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Notebook_usings_are_there_without_being_written()
    {
        var result = Compile("""
            Matrix<double> Identity(int n) => Matrix<double>.Build.DenseIdentity(n);
            List<int> Evens(int n) => Enumerable.Range(0, n).Where(i => i % 2 == 0).ToList();
            double Root(double x) => Math.Sqrt(x);
            """);

        Assert.Equal(CompileStatus.Ok, result.Status);
    }

    [Fact]
    public void A_compile_error_is_reported_at_the_students_line_and_column()
    {
        var source = string.Join('\n',
            "double F(double x)",
            "{",
            "    var y = x;",
            "    // a comment",
            "",
            "    y += 1;",
            "    undefinedName = 3;",
            "    return y;",
            "}");

        var result = Compile(source);

        var error = Single(result, CompileStatus.CompileError);
        Assert.Equal(("CS0103", "error", 7, 5), (error.Id, error.Severity, error.Line, error.Column));
        Assert.Contains("undefinedName", error.Message, StringComparison.Ordinal);
        Assert.Null(result.Assembly);
    }

    [Fact]
    public void Compile_errors_come_in_reading_order_and_are_capped()
    {
        var source = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"int F{i}() => missing{i};"));

        var result = Compile(source);

        Assert.Equal(CompileStatus.CompileError, result.Status);
        Assert.Equal(50, result.Diagnostics.Count);
        Assert.Equal(Enumerable.Range(1, 50), result.Diagnostics.Select(d => d.Line));
    }

    [Fact]
    public void Warnings_of_a_clean_compile_are_kept_for_the_student()
    {
        var result = Compile("int F(int x) => x switch { 1 => 1 };");

        var warning = Single(result, CompileStatus.Ok);
        Assert.Equal(("CS8509", "warning", 1, 19), (warning.Id, warning.Severity, warning.Line, warning.Column));
    }

    [Fact]
    public void The_warm_up_submission_passes_every_check()
    {
        // A refused warm-up would stop at the first check and leave the rest cold.
        var result = Compile(ScriptCompiler.WarmUpSource);

        Assert.True(result.Status == CompileStatus.Ok && result.Diagnostics.Count == 0, string.Join("; ", result.Diagnostics));
        ScriptCompiler.Default.WarmUp(CancellationToken.None);
    }

    [Fact]
    public void Elapsed_time_is_recorded()
    {
        var result = Compile("int F() => 1;");

        Assert.True(result.ElapsedMs > 0);
    }

    [Fact]
    public void A_cancelled_compile_throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ScriptCompiler.Default.Compile("int F() => 1;", cancelled.Token));
    }

    [Fact]
    public void A_source_over_64_KiB_is_rejected_before_compiling()
    {
        var source = "int F() => 1;\n" + "// " + new string('x', 64 * 1024);

        var error = Single(Compile(source), CompileStatus.Rejected);

        Assert.Equal("GRD0001", error.Id);
        Assert.Contains("64 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_is_counted_in_UTF8_bytes()
    {
        // 30,000 chars of 'é' are 60,000 bytes in UTF-8; 40,000 are 80,000.
        Assert.NotEqual(CompileStatus.Rejected, Compile("// " + new string('é', 30_000)).Status);
        Assert.Equal("GRD0001", Single(Compile("// " + new string('é', 40_000)), CompileStatus.Rejected).Id);
    }

    [Fact]
    public void Two_thousand_lines_pass_and_one_more_is_rejected()
    {
        var allowed = "int F() => 1;\n" + string.Concat(Enumerable.Repeat("// line\n", 1_999));

        Assert.Equal(CompileStatus.Ok, Compile(allowed).Status);
        var error = Single(Compile(allowed + "// one more"), CompileStatus.Rejected);
        Assert.Equal(("GRD0002", 2_001), (error.Id, error.Line));
    }

    [Fact]
    public void A_NUL_character_is_rejected_with_its_position()
    {
        var error = Single(Compile("int F() => 1;\nint G() => \0 2;"), CompileStatus.Rejected);

        Assert.Equal(("GRD0003", 2, 12), (error.Id, error.Line, error.Column));
    }

    [Fact]
    public void A_lone_surrogate_is_rejected_as_invalid_text()
    {
        var error = Single(Compile("// \ud800 broken"), CompileStatus.Rejected);

        Assert.Equal(("GRD0004", 1, 4), (error.Id, error.Line, error.Column));
    }

    [Theory]
    [InlineData("#load \"/etc/passwd\"", "#load")]
    [InlineData("#r \"System.IO.dll\"", "#r")]
    [InlineData("#line 1 \"tests.cs\"", "#line")]
    [InlineData("#line hidden", "#line")]
    [InlineData("#error All tests passed", "#error")]
    [InlineData("#warning look here", "#warning")]
    [InlineData("#pragma warning disable CS8509", "#pragma")]
    [InlineData("#nullable enable", "#nullable")]
    [InlineData("#define DEBUG", "#define")]
    [InlineData("#undef DEBUG", "#undef")]
    [InlineData("#region helpers", "#region")]
    [InlineData("#endregion", "#endregion")]
    [InlineData("#if DEBUG", "#if")]
    [InlineData("#else", "#else")]
    [InlineData("#endif", "#endif")]
    [InlineData("#whatever", "#whatever")]
    [InlineData("#:package Foo@1.0", "#:")]
    public void A_directive_is_rejected_with_its_line(string directive, string name)
    {
        var source = $"int F() => 1;\n\n{directive}\nint G() => 2;";

        var error = Assert.Single(Compile(source).Diagnostics, d => d.Id == "GRD0010");

        Assert.Equal((3, 1), (error.Line, error.Column));
        Assert.Equal($"directives such as {name} are not allowed in submissions; remove the line", error.Message);
        Assert.Equal($"line 3, col 1: error GRD0010: directives such as {name} are not allowed in submissions; remove the line", error.ToString());
    }

    [Fact]
    public void A_load_directive_is_rejected_with_its_line()
    {
        var result = Compile("int F() => 1;\n#load \"/etc/passwd\"\n");

        var error = Single(result, CompileStatus.Rejected);
        Assert.Equal(("GRD0010", 2, 1), (error.Id, error.Line, error.Column));
        Assert.Null(result.Assembly);
    }

    [Fact]
    public void A_shebang_is_rejected()
    {
        var error = Single(Compile("#!/usr/bin/env dotnet-script\nint F() => 1;"), CompileStatus.Rejected);

        Assert.Equal(("GRD0010", 1, 1), (error.Id, error.Line, error.Column));
        Assert.Contains("#!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_indented_directive_is_still_a_directive()
    {
        var error = Single(Compile("int F()\n{\n    #pragma warning disable\n    return 1;\n}"), CompileStatus.Rejected);

        Assert.Equal(("GRD0010", 3, 5), (error.Id, error.Line, error.Column));
    }

    [Theory]
    [InlineData("")]
    [InlineData("// only a comment\n")]
    [InlineData("using System.Text;")]
    public void A_submission_without_code_is_a_compile_error_that_says_so(string source)
    {
        var error = Single(Compile(source), CompileStatus.CompileError);

        Assert.Equal(("GRD0005", "the submission contains no code"), (error.Id, error.Message));
    }

    [Fact]
    public void A_hash_inside_a_string_is_not_a_directive()
    {
        Assert.Equal(CompileStatus.Ok, Compile("string F() => \"#load x\";").Status);
    }
}
