using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

public sealed class ApiAllowlistTests
{
    [Theory]
    [InlineData("string F() => System.IO.File.ReadAllText(\"/etc/passwd\");", "System.IO.File.ReadAllText")]
    [InlineData("object F() => typeof(string).GetMethod(\"Trim\", new System.Type[0]);", "System.Type.GetMethod")]
    [InlineData("object F() => typeof(string);", "System.Type")]
    [InlineData("void F() => Environment.Exit(0);", "System.Environment.Exit")]
    [InlineData("void F() => GC.Collect();", "System.GC.Collect")]
    [InlineData("void F() { var t = new System.Threading.Thread(() => { }); t.Start(); }", "System.Threading.Thread")]
    [InlineData("void F() { System.Threading.Thread.Sleep(1000); }", "System.Threading.Thread.Sleep")]
    [InlineData("void F() { System.Threading.Thread t = null; }", "System.Threading.Thread")]
    [InlineData("object F() => System.Threading.Tasks.Task.Run(() => 1);", "System.Threading.Tasks.Task.Run")]
    [InlineData("async System.Threading.Tasks.Task<int> F() => 1;", "System.Threading.Tasks.Task")]
    [InlineData("IntPtr F() => System.Runtime.InteropServices.Marshal.AllocHGlobal(16);", "System.Runtime.InteropServices.Marshal.AllocHGlobal")]
    [InlineData("string F(object o) => System.Runtime.CompilerServices.Unsafe.As<string>(o);", "System.Runtime.CompilerServices.Unsafe.As")]
    [InlineData("object F() => Activator.CreateInstance<List<int>>();", "System.Activator.CreateInstance")]
    [InlineData("object F() => AppDomain.CurrentDomain;", "System.AppDomain.CurrentDomain")]
    [InlineData("string F() => Console.ReadLine();", "System.Console.ReadLine")]
    [InlineData("void F() => Console.SetOut(null);", "System.Console.SetOut")]
    [InlineData("object F() => Console.Out;", "System.Console.Out")]
    [InlineData("object F() => System.Reflection.Assembly.Load(\"System.IO\");", "System.Reflection.Assembly.Load")]
    [InlineData("object F(object o) => o.GetType();", "System.Object.GetType")]
    [InlineData("object F() => \"x\".GetType().GetField(\"Empty\");", "System.Object.GetType")]
    [InlineData("object F() => \"x\".GetType().GetField(\"Empty\");", "System.Type.GetField")]
    [InlineData("object F(Exception e) => e.GetType();", "System.Exception.GetType")]
    [InlineData("object F(Exception e) => e.TargetSite;", "System.Exception.TargetSite")]
    [InlineData("object F(Func<int> f) => f.Method;", "System.Delegate.Method")]
    [InlineData("object F(Func<int> f) => f.DynamicInvoke();", "System.Delegate.DynamicInvoke")]
    [InlineData("void F() => MathNet.Numerics.Control.NativeProviderPath = \"/tmp\";", "MathNet.Numerics.Control.NativeProviderPath")]
    [InlineData("void F() => MathNet.Numerics.Control.UseNativeMKL();", "MathNet.Numerics.Control.UseNativeMKL")]
    [InlineData("object F() => Environment.GetEnvironmentVariable(\"HOME\");", "System.Environment.GetEnvironmentVariable")]
    [InlineData("object F() => Array.CreateInstance(typeof(int), 3);", "System.Array.CreateInstance")]
    [InlineData("object F() => System.Globalization.CultureInfo.CurrentCulture;", "System.Globalization.CultureInfo.CurrentCulture")]
    [InlineData("object F() => new System.Globalization.CultureInfo(\"fr-FR\");", "new System.Globalization.CultureInfo(...)")]
    [InlineData("void F() { var o = new object(); lock (o) { } }", "lock (System.Threading.Monitor)")]
    [InlineData("using static System.IO.File;\nstring F() => ReadAllText(\"x\");", "System.IO.File.ReadAllText")]
    [InlineData("using Files = System.IO.File;\nstring F() => Files.ReadAllText(\"x\");", "System.IO.File.ReadAllText")]
    [InlineData("Func<string, string> F() => System.IO.File.ReadAllText;", "System.IO.File.ReadAllText")]
    [InlineData("class Sneaky : System.IO.MemoryStream { }", "System.IO.MemoryStream")]
    [InlineData("class Holder { public System.Threading.Thread Worker; }", "System.Threading.Thread")]
    [InlineData("List<System.Threading.Thread> F() => new();", "System.Threading.Thread")]
    [InlineData("System.Threading.Thread[] F() => null;", "System.Threading.Thread")]
    [InlineData("object F() { var a = new double[4]; return System.Numerics.Vector.LoadUnsafe(ref a[0]); }", "System.Numerics.Vector.LoadUnsafe")]
    [InlineData("object F() => System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(null);", "System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject")]
    [InlineData("object F() => MathNet.Numerics.LinearAlgebra.Solvers.SolverSetup<double>.Load();", "MathNet.Numerics.LinearAlgebra.Solvers.SolverSetup.Load")]
    [InlineData("async IAsyncEnumerable<int> F() { yield return 1; }", "System.Collections.Generic.IAsyncEnumerable")]
    [InlineData("object F() => new MathNet.Numerics.Random.CryptoRandomSource();", "MathNet.Numerics.Random.CryptoRandomSource")]
    [InlineData("object F(Action a) => ((Delegate)a).Target;", "System.Delegate")]
    [InlineData("object F() => System.Text.Encoding.UTF8;", "System.Text.Encoding.UTF8")]
    [InlineData("object F() => DateTime.Now;", "System.DateTime.Now")]
    public void A_refused_api_gets_a_friendly_message(string source, string api)
    {
        var result = Compile(source);

        Assert.Equal(CompileStatus.Rejected, result.Status);
        Assert.Contains(result.Diagnostics, d => d.Id == "GRD0100" && d.Message == $"{api} is not available in submissions" && d.Line > 0);
        Assert.Null(result.Assembly);
    }

    [Theory]
    [InlineData("void F() => System.Diagnostics.Process.Start(\"sh\");", "System.Diagnostics.Process.Start")]
    [InlineData("System.Linq.Expressions.Expression<Func<int>> F() => () => 1;", "System.Linq.Expressions.Expression")]
    [InlineData("object F() => new[] { 1, 2 }.AsParallel().Sum();", "System.Linq.ParallelEnumerable.AsParallel")]
    [InlineData("object F() => new[] { 1, 2 }.AsQueryable();", "System.Linq.Queryable.AsQueryable")]
    [InlineData("object F() => new System.Net.Http.HttpClient();", "System.Net.Http.HttpClient")]
    [InlineData("object F() => System.Text.RegularExpressions.Regex.Match(\"a\", \"a\");", "System.Text.RegularExpressions.Regex.Match")]
    public void Apis_outside_the_reference_set_are_refused_by_the_rules_too(string source, string api)
    {
        var refused = CheckSemanticsAgainstWholeFramework(source);

        Assert.Contains(refused, d => d.Id == "GRD0100" && d.Message == $"{api} is not available in submissions");
    }

    [Theory]
    [InlineData("void F() => System.Diagnostics.Process.Start(\"sh\");")]
    [InlineData("System.Linq.Expressions.Expression<Func<int>> F() => () => 1;")]
    [InlineData("object F() => new[] { 1, 2 }.AsParallel().Sum();")]
    public void Apis_outside_the_reference_set_do_not_compile(string source)
    {
        Assert.Equal(CompileStatus.CompileError, Compile(source).Status);
    }

    [Fact]
    public void A_refusal_points_at_the_name_in_the_source()
    {
        var source = "double F(double x)\n{\n    var s = System.IO.File.ReadAllText(\"x\");\n    return x;\n}";

        var error = Single(Compile(source), CompileStatus.Rejected);

        Assert.Equal(("GRD0100", 3, 28), (error.Id, error.Line, error.Column));
        Assert.Equal("line 3, col 28: error GRD0100: System.IO.File.ReadAllText is not available in submissions", error.ToString());
    }

    [Fact]
    public void Printing_is_allowed_but_nothing_else_on_the_console()
    {
        Assert.Equal(CompileStatus.Ok, Compile("Console.Write(1); Console.WriteLine(\"x\"); Console.WriteLine();").Status);
        Assert.Equal(CompileStatus.Rejected, Compile("Console.Clear();").Status);
    }

    [Fact]
    public void Only_the_invariant_culture_is_reachable()
    {
        Assert.Equal(CompileStatus.Ok, Compile("""
            using System.Globalization;
            double F(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            string G(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
            """).Status);
    }

    [Fact]
    public void Environment_NewLine_is_the_one_allowed_member_of_Environment()
    {
        Assert.Equal(CompileStatus.Ok, Compile("string F() => \"a\" + Environment.NewLine;").Status);
    }

    [Fact]
    public void A_more_specific_rule_wins_over_a_broader_one()
    {
        var rules = new ApiAllowlist("""
            deny  System.Console
            allow System.Console.WriteLine   # a member carved out of a denied type
            allow System.Linq.*
            deny  System.Linq.Expressions.*
            allow-il System.Type.GetTypeFromHandle
            """);

        Assert.True(rules.Allows(ApiSite.Source, "System.Console.WriteLine"));
        Assert.False(rules.Allows(ApiSite.Source, "System.Console.WriteLineX"));
        Assert.False(rules.Allows(ApiSite.Source, "System.Console.ReadLine"));
        Assert.True(rules.AllowsSomeOf(ApiSite.Source, "System.Console"));
        Assert.True(rules.Allows(ApiSite.Source, "System.Linq.Enumerable.Select"));
        Assert.False(rules.Allows(ApiSite.Source, "System.Linq.Expressions.Expression.Lambda"));
        Assert.False(rules.Allows(ApiSite.Source, "System.Type.GetTypeFromHandle"));
        Assert.True(rules.Allows(ApiSite.CompiledCode, "System.Type.GetTypeFromHandle"));
        Assert.False(rules.AllowsSomeOf(ApiSite.Source, "System.Type"));
        Assert.True(rules.AllowsSomeOf(ApiSite.CompiledCode, "System.Type"));
        Assert.False(rules.Allows(ApiSite.CompiledCode, "System.IO.File"));
    }

    [Fact]
    public void A_rule_on_what_is_inside_a_type_beats_the_rule_on_the_type()
    {
        var rules = new ApiAllowlist("""
            allow-il System.Threading.Tasks.Task
            deny     System.Threading.Tasks.Task.*
            """);

        Assert.True(rules.Allows(ApiSite.CompiledCode, "System.Threading.Tasks.Task"));
        Assert.False(rules.Allows(ApiSite.CompiledCode, "System.Threading.Tasks.Task.Run"));
        Assert.False(rules.Allows(ApiSite.CompiledCode, "System.Threading.Tasks.TaskFactory"));
    }

    [Theory]
    [InlineData("allow", "allowlist line 1: expected '<allow|allow-il|deny|reference> NAME', got 'allow'")]
    [InlineData("permit System.Math", "allowlist line 1: unknown rule 'permit'")]
    [InlineData("allow System.Collections.Generic.List`1", "allowlist line 1: 'System.Collections.Generic.List`1' is not a name (write List, not List`1; '*' only as a final '.*')")]
    [InlineData("allow System.Math\n# fine\ndeny System.Math", "allowlist line 3: a second rule for 'System.Math'")]
    public void A_malformed_rules_file_is_refused_with_its_line(string rules, string message)
    {
        var error = Assert.Throws<FormatException>(() => new ApiAllowlist(rules));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("int F(List<int> l) => l[0];")]
    [InlineData("int? F(List<int> l) => l?[0];")]
    [InlineData("var l = new List<int> { 1 }; l[0] = 2;")]
    public void An_indexer_is_checked_however_it_is_reached(string source)
    {
        var rules = new ApiAllowlist(ReadEmbeddedRules() + "\ndeny System.Collections.Generic.List.Item\n");

        var result = new ScriptCompiler(rules).Compile(source, CancellationToken.None);

        Assert.Contains(result.Diagnostics, d => d.Message == "the System.Collections.Generic.List indexer is not available in submissions");
        Assert.Equal(CompileStatus.Ok, Compile(source).Status);
    }

    [Fact]
    public void Every_rule_names_something_that_exists()
    {
        // A misspelt allow refuses honest code; a misspelt deny silently protects nothing.
        // Deny rules may name what the reference set leaves out, so look in the whole framework.
        var frameworkAssemblies = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.Contains("Microsoft.NETCore.App", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension);
        var types = ApiAllowlist.Default.References.Concat(frameworkAssemblies).Distinct()
            .Select(name => System.Reflection.Assembly.Load(name!))
            .SelectMany(assembly => assembly.GetExportedTypes())
            .ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var name = RuleName(type);
            known.Add(name);
            for (var ns = type.Namespace; !string.IsNullOrEmpty(ns); ns = ns.Contains('.', StringComparison.Ordinal) ? ns[..ns.LastIndexOf('.')] : null)
            {
                known.Add(ns);
            }
            foreach (var member in type.GetMembers())
            {
                known.Add(name + "." + member.Name);
            }
        }
        // Emitted by the compiler into the submission itself when the runtime lacks them.
        known.Add("Microsoft.CodeAnalysis.EmbeddedAttribute");
        known.Add("System.Runtime.CompilerServices.NullablePublicOnlyAttribute");

        var unknown = ReadEmbeddedRuleNames().Where(name => !known.Contains(name)).ToList();

        Assert.True(unknown.Count == 0, string.Join(", ", unknown));
    }

    [Fact]
    public void The_embedded_rules_name_the_reference_set()
    {
        Assert.Equal(
            ["System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Linq", "System.Console", "System.Runtime.Numerics", "MathNet.Numerics"],
            ApiAllowlist.Default.References);
    }

    private static string RuleName(Type type)
    {
        var name = type.Name.Split('`')[0];
        return type.DeclaringType is { } outer ? RuleName(outer) + "." + name : $"{type.Namespace}.{name}";
    }

    private static string ReadEmbeddedRules()
    {
        using var stream = typeof(ApiAllowlist).Assembly.GetManifestResourceStream("Grader.Core.allowlist.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> ReadEmbeddedRuleNames() =>
        ReadEmbeddedRules()
            .Split('\n')
            .Select(line => line.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && parts[0] != "reference")
            .Select(parts => parts[1].EndsWith(".*", StringComparison.Ordinal) ? parts[1][..^2] : parts[1])
            .ToList();
}
