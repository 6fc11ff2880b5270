using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

public sealed class SyntaxBanTests
{
    [Theory]
    [InlineData("unsafe int F(int* p) => *p;", "GRD0020", "'unsafe' code is not allowed in submissions")]
    [InlineData("int F() { unsafe { return 1; } }", "GRD0020", "'unsafe' code is not allowed in submissions")]
    [InlineData("int F(int[] a) { fixed (int* p = a) { return *p; } }", "GRD0020", "'fixed' is not allowed in submissions")]
    [InlineData("int F() { System.Span<int> s = stackalloc int[4]; return s[0]; }", "GRD0020", "'stackalloc' is not allowed in submissions; use an array")]
    [InlineData("class Native { public static extern int getpid(); }", "GRD0021", "'extern' is not allowed in submissions")]
    [InlineData("class Holder { ~Holder() { } }", "GRD0022", "finalizers (~Holder) are not allowed in submissions")]
    [InlineData("object F() { dynamic d = 1; return d; }", "GRD0023", "'dynamic' is not allowed in submissions; use a concrete type")]
    [InlineData("System.Collections.Generic.List<dynamic> F() => null;", "GRD0023", "'dynamic' is not allowed in submissions; use a concrete type")]
    [InlineData("System.TypedReference F(int x) => __makeref(x);", "GRD0024", "'__makeref' is not allowed in submissions")]
    [InlineData("void F(__arglist) { }", "GRD0024", "'__arglist' is not allowed in submissions")]
    [InlineData("class System { }", "GRD0025", "the type name System is reserved; choose another name")]
    [InlineData("struct MathNet { }", "GRD0025", "the type name MathNet is reserved; choose another name")]
    [InlineData("namespace System.Runtime.CompilerServices { class ModuleInitializerAttribute { } }", "GRD0025", "the namespace name System.Runtime.CompilerServices is reserved; choose another name")]
    [InlineData("namespace Grader.Core { }", "GRD0025", "the namespace name Grader.Core is reserved; choose another name")]
    [InlineData("namespace Sy\\u0073tem.IO { }", "GRD0025", "the namespace name System.IO is reserved; choose another name")]
    [InlineData("class Sy\\u0073tem { }", "GRD0025", "the type name System is reserved; choose another name")]
    [InlineData("[System.Obsolete] int F() => 1;", "GRD0026", "attributes such as [System.Obsolete] are not allowed in submissions; remove them")]
    [InlineData("class C { [System.Runtime.CompilerServices.ModuleInitializer] public static void Init() { } }", "GRD0026", "attributes such as [System.Runtime.CompilerServices.ModuleInitializer] are not allowed in submissions; remove them")]
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] struct U { }", "GRD0026", "attributes such as [System.Runtime.InteropServices.StructLayout] are not allowed in submissions; remove them")]
    [InlineData("[assembly: System.Reflection.AssemblyTitle(\"x\")]", "GRD0026", "attributes such as [System.Reflection.AssemblyTitle] are not allowed in submissions; remove them")]
    [InlineData("System.Func<int, int> F() => [System.Obsolete] (x) => x;", "GRD0026", "attributes such as [System.Obsolete] are not allowed in submissions; remove them")]
    public void A_banned_language_feature_is_rejected_with_its_reason(string source, string id, string message)
    {
        var result = Compile(source);

        Assert.Equal(CompileStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message == message && d.Line == 1);
    }

    [Theory]
    [InlineData("unsafe int F(int* p) => *p;", "GRD0020", "pointer types are not allowed in submissions")]
    [InlineData("unsafe void F(delegate*<int, void> f) { }", "GRD0020", "function pointers (delegate*) are not allowed in submissions")]
    [InlineData("int F(System.TypedReference r) => __refvalue(r, int);", "GRD0024", "'__refvalue' is not allowed in submissions")]
    [InlineData("System.Type F(System.TypedReference r) => __reftype(r);", "GRD0024", "'__reftype' is not allowed in submissions")]
    public void Every_banned_part_is_named_not_just_the_first(string source, string id, string message)
    {
        var result = Compile(source);

        Assert.Contains(result.Diagnostics, d => d.Id == id && d.Message == message);
    }

    [Fact]
    public void A_ban_is_reported_where_it_is_written()
    {
        var source = "int F()\n{\n    int x = 1;\n    unsafe { x++; }\n    return x;\n}";

        var error = Single(Compile(source), CompileStatus.Rejected);

        Assert.Equal(("GRD0020", 4, 5), (error.Id, error.Line, error.Column));
    }

    [Theory]
    [InlineData("class SystemSolver { }")]
    [InlineData("record MathNetLike(double X);")]
    [InlineData("int dynamic = 3;")]
    [InlineData("int F(int fixedPoint) => fixedPoint;")]
    public void Names_that_only_resemble_a_ban_are_fine(string source)
    {
        Assert.Equal(CompileStatus.Ok, Compile(source).Status);
    }
}
