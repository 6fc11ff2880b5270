using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

// These assemblies are emitted without the syntax bans or the semantic walk, as if both had
// missed something: the scan alone must still refuse them.
public sealed class MetadataScanTests
{
    [Fact]
    public void A_refused_call_is_found_in_the_compiled_code()
    {
        var assembly = EmitAgainstWholeFramework("string F() => System.IO.File.ReadAllText(\"x\");");

        Assert.Contains("System.IO.File.ReadAllText", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void What_only_the_compiler_writes_is_found_too()
    {
        // The source never names Monitor; lock compiles to Monitor.Enter/Exit.
        var assembly = EmitAgainstWholeFramework("void F(object o) { lock (o) { } }");

        Assert.Contains("System.Threading.Monitor.Enter", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void Reflection_through_GetType_is_found()
    {
        var assembly = EmitAgainstWholeFramework("object F(object o) => o.GetType().GetMethod(\"ToString\", new Type[0]).Invoke(o, null);");

        var findings = ApiAllowlist.Default.ScanMetadata(assembly);

        Assert.Contains("System.Object.GetType", findings);
        Assert.Contains("System.Reflection.MethodBase.Invoke", findings);
    }

    [Fact]
    public void A_type_allowed_only_by_name_in_compiled_code_keeps_its_members_refused()
    {
        // Delegate declarations make the compiler name IAsyncResult; nothing needs its members.
        var assembly = EmitAgainstWholeFramework("bool F(Func<int> f) => f.BeginInvoke(null, null).IsCompleted;");

        Assert.Contains("System.IAsyncResult.IsCompleted", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void Property_accessors_are_reported_by_property_name()
    {
        var assembly = EmitAgainstWholeFramework("object F() => AppDomain.CurrentDomain;");

        Assert.Contains("System.AppDomain.CurrentDomain", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void A_refused_type_as_a_generic_argument_is_found()
    {
        var assembly = EmitAgainstWholeFramework("int F() => new List<System.Threading.Thread>().Count;");

        Assert.Contains("System.Threading.Thread", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void A_refused_base_type_is_found()
    {
        var assembly = EmitAgainstWholeFramework("class Sneaky : System.IO.MemoryStream { }");

        Assert.Contains("System.IO.MemoryStream", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void An_assembly_outside_the_reference_set_is_found()
    {
        var assembly = EmitAgainstWholeFramework("void F() => System.Diagnostics.Process.Start(\"sh\");");

        Assert.Contains("the assembly System.Diagnostics.Process", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void Native_code_is_found()
    {
        var assembly = EmitAgainstWholeFramework("""
            class Native
            {
                [System.Runtime.InteropServices.DllImport("libc")]
                public static extern int getpid();
            }
            """);

        var findings = ApiAllowlist.Default.ScanMetadata(assembly);

        Assert.Contains("native code (DllImport)", findings);
        Assert.Contains("a method implemented outside the submission (extern)", findings);
    }

    [Fact]
    public void Overlapping_fields_are_found()
    {
        var assembly = EmitAgainstWholeFramework("""
            [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]
            struct Confused
            {
                [System.Runtime.InteropServices.FieldOffset(0)] public object Reference;
                [System.Runtime.InteropServices.FieldOffset(0)] public long Address;
            }
            """);

        Assert.Contains("explicit field layout (FieldOffset)", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void Dynamic_is_found_by_its_attribute()
    {
        var assembly = EmitAgainstWholeFramework("class Holder { public dynamic Value; }");

        Assert.Contains("System.Runtime.CompilerServices.DynamicAttribute", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void An_attribute_defined_in_the_submission_is_found()
    {
        var assembly = EmitAgainstWholeFramework("""
            class MarkAttribute : Attribute { }
            [Mark] class Marked { }
            """);

        Assert.Contains("the attribute Submission.MarkAttribute", ApiAllowlist.Default.ScanMetadata(assembly));
    }

    [Fact]
    public void Bytes_that_are_not_an_assembly_are_refused()
    {
        Assert.Equal(["an assembly that cannot be read"], ApiAllowlist.Default.ScanMetadata([1, 2, 3]));
    }

    [Fact]
    public void Code_the_compiler_emits_on_its_own_needs_its_compiled_code_only_rule()
    {
        // Without the allow-il rule, the walk has nothing to say (the source names no handler)
        // and only the scan sees what string interpolation compiles to.
        var withoutHandler = new ApiAllowlist(string.Join('\n', ReadEmbeddedRules()
            .Split('\n')
            .Where(line => !line.Contains("DefaultInterpolatedStringHandler", StringComparison.Ordinal))));
        var compiler = new ScriptCompiler(withoutHandler);

        var result = compiler.Compile("string F(int x) => $\"x = {x}\";", CancellationToken.None);

        Assert.Equal(CompileStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == "GRD0190"
            && d.Message == "the compiled submission uses System.Runtime.CompilerServices.DefaultInterpolatedStringHandler, which is not available in submissions");
        Assert.Equal(CompileStatus.Ok, ScriptCompiler.Default.Compile("string F(int x) => $\"x = {x}\";", CancellationToken.None).Status);
    }

    private static string ReadEmbeddedRules()
    {
        using var stream = typeof(ApiAllowlist).Assembly.GetManifestResourceStream("Grader.Core.allowlist.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
