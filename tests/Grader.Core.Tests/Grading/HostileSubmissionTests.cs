using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

public sealed class HostileSubmissionTests
{
    [Theory]
    [InlineData("record R(int X) { public object C() => EqualityContract.Assembly; }")]
    [InlineData("using U = System.Runtime.CompilerServices.Unsafe; object F(object o) => U.As<string>(o);")]
    [InlineData("class C : System.Runtime.CompilerServices.IAsyncStateMachine { public void MoveNext() {} public void SetStateMachine(System.Runtime.CompilerServices.IAsyncStateMachine s) {} }")]
    [InlineData("var h = default(RuntimeFieldHandle);")]
    [InlineData("int F() => Environment.CurrentManagedThreadId;")]
    [InlineData("object F() => nameof(System.IO.File);")]
    [InlineData("object F() => Type.GetTypeFromHandle(default);")]
    [InlineData("bool F(Type a, Type b) => a == b;")]
    [InlineData("object F() => System.Buffers.ArrayPool<int>.Shared.Rent(10);")]
    [InlineData("object F() => AppContext.BaseDirectory;")]
    [InlineData("void F() => Console.Error.WriteLine(\"x\");")]
    [InlineData("object F() => Console.OpenStandardOutput();")]
    [InlineData("object F() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(new object());")]
    [InlineData("object F() => System.Runtime.GCSettings.IsServerGC;")]
    [InlineData("object F() => AppDomain.CurrentDomain.GetAssemblies();")]
    [InlineData("object F() => System.Threading.Tasks.Parallel.For(0, 10, i => {});")]
    [InlineData("object F() => new System.Collections.Concurrent.ConcurrentBag<int>();")]
    [InlineData("object F() => System.Runtime.Intrinsics.Vector128.Create(1);")]
    [InlineData("void F() => MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.UseManaged();")]
    [InlineData("void F() => MathNet.Numerics.Control.UseSingleThread();")]
    [InlineData("object F() => System.Runtime.CompilerServices.Unsafe.SizeOf<int>();")]
    [InlineData("object F() => typeof(int).Assembly;")]
    [InlineData("object F() => (1, 2).GetType();")]
    [InlineData("object F() => Activator.CreateInstance(typeof(List<int>));")]
    [InlineData("object F() => new Func<int>(() => 1).GetInvocationList();")]
    [InlineData("object F() => System.IO.Path.GetTempPath();")]
    [InlineData("object F() => Environment.ProcessorCount;")]
    [InlineData("object F() => System.Globalization.CultureInfo.CurrentCulture;")]
    [InlineData("object F() => \"abc\".AsMemory().Pin();")]
    [InlineData("object F() => System.Runtime.InteropServices.GCHandle.Alloc(1);")]
    [InlineData("object F() => System.Runtime.InteropServices.Marshal.SizeOf<int>();")]
    [InlineData("object F() => System.Runtime.Loader.AssemblyLoadContext.Default;")]
    [InlineData("object F() => new System.Collections.ArrayList().ToArray(typeof(int));")]
    [InlineData("var w = new WeakReference(new object());")]
    [InlineData("object F() => string.Create(3, 'x', (span, c) => span.Fill(c));")]
    [InlineData("object F(Func<int> f) => f.BeginInvoke(null, null).AsyncWaitHandle;")]
    [InlineData("void F() => System.Threading.ThreadPool.QueueUserWorkItem(_ => { });")]
    [InlineData("void F() => new System.Threading.Timer(_ => { }, null, 0, 1);")]
    [InlineData("void F() => Environment.FailFast(\"bye\");")]
    [InlineData("void F() => Environment.SetEnvironmentVariable(\"A\", \"B\");")]
    [InlineData("object F() => System.Diagnostics.Debugger.IsAttached;")]
    [InlineData("object F() => new System.Diagnostics.StackTrace().GetFrames();")]
    [InlineData("object F() => Enum.GetValues(typeof(DayOfWeek));")]
    [InlineData("int F() { var o = new object(); lock (o) { return 1; } }")]
    [InlineData("object F() => System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(new int[1]);")]
    [InlineData("object F(List<int> l) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(l).Length;")]
    [InlineData("void F() => GC.AddMemoryPressure(1);")]
    [InlineData("void F() => AppContext.SetSwitch(\"x\", true);")]
    [InlineData("object F() => System.Security.Cryptography.RandomNumberGenerator.GetInt32(10);")]
    [InlineData("object F() => System.Net.Dns.GetHostName();")]
    public void A_hostile_submission_never_produces_an_assembly(string source)
    {
        var result = Compile(source);

        Assert.True(result.Status is CompileStatus.Rejected or CompileStatus.CompileError, $"{result.Status}: {source}");
        Assert.Null(result.Assembly);
        Assert.NotEmpty(result.Diagnostics);
    }
}
