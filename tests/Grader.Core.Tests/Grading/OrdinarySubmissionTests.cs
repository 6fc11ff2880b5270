using System.Reflection;
using System.Runtime.Loader;
using Grader.Core.Grading;
using static Grader.Core.Tests.Grading.Submissions;

namespace Grader.Core.Tests.Grading;

// Refusing honest code is as much a bug as letting hostile code through.
public sealed class OrdinarySubmissionTests
{
    private const string LinearAlgebraWeek = """
        using System.Globalization;
        using System.Text;
        using MathNet.Numerics.Statistics;
        using MathNet.Numerics.Distributions;
        using static System.Math;

        record Point(double X, double Y)
        {
            public double Norm => Sqrt(X * X + Y * Y);
        }

        record struct Sample(string Label, double Value);

        enum Kind { Small, Large }

        class NotConvergedException : Exception
        {
            public NotConvergedException(string message) : base(message) { }
        }

        // Exercise 1: vectors and matrices.
        double Dot(double[] a, double[] b)
        {
            if (a.Length != b.Length) throw new ArgumentException("lengths differ");
            double sum = 0;
            for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
            return sum;
        }

        double[,] MatMul(double[,] a, double[,] b)
        {
            int n = a.GetLength(0), m = b.GetLength(1), k = a.GetLength(1);
            var c = new double[n, m];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    for (int p = 0; p < k; p++)
                        c[i, j] += a[i, p] * b[p, j];
            return c;
        }

        double[] SolveSystem(double[,] a, double[] b)
        {
            var matrix = Matrix<double>.Build.DenseOfArray(a);
            var rhs = Vector<double>.Build.Dense(b);
            return matrix.Solve(rhs).ToArray();
        }

        (double Determinant, double[] Eigenvalues) Spectrum(double[,] a)
        {
            var m = Matrix<double>.Build.DenseOfArray(a);
            var evd = m.Evd();
            var values = evd.EigenValues.Select(z => z.Real).OrderBy(v => v).ToArray();
            return (m.Determinant(), values);
        }

        double[] SingularValues(double[,] a) => Matrix<double>.Build.DenseOfArray(a).Svd().S.ToArray();

        Matrix<double> Gram(Matrix<double> x)
        {
            var g = x.Transpose() * x;
            var copy = g.Clone();
            copy.SetRow(0, g.Row(0).Multiply(2.0));
            return copy.PointwiseMultiply(g) + Matrix<double>.Build.DenseIdentity(g.RowCount);
        }

        // Exercise 2: statistics.
        (double Mean, double Sd) Describe(IReadOnlyList<double> xs) => (Statistics.Mean(xs), Statistics.StandardDeviation(xs));

        double Density(double x) => Normal.PDF(0, 1, x);

        Dictionary<Kind, List<double>> Split(IEnumerable<double> xs) =>
            xs.GroupBy(x => x > 1 ? Kind.Large : Kind.Small).ToDictionary(g => g.Key, g => g.ToList());

        IEnumerable<double> Running(IEnumerable<double> xs)
        {
            double total = 0;
            foreach (var x in xs)
            {
                total += x;
                yield return total;
            }
        }

        // Exercise 3: iteration, text, patterns.
        double Newton(Func<double, double> f, Func<double, double> df, double x0, int maxSteps = 50)
        {
            var x = x0;
            for (var step = 0; step < maxSteps; step++)
            {
                var next = x - f(x) / df(x);
                if (Abs(next - x) < 1e-12) return next;
                x = next;
            }
            throw new NotConvergedException($"no convergence after {maxSteps} steps from {x0:F3}");
        }

        string Format(Point p) => p switch
        {
            { X: 0, Y: 0 } => "origin",
            { X: > 0, Y: > 0 } => string.Format(CultureInfo.InvariantCulture, "Q1 ({0:F2}, {1:F2})", p.X, p.Y),
            _ => $"({p.X.ToString("R", CultureInfo.InvariantCulture)}, {p.Y})",
        };

        string Table(IEnumerable<Sample> samples)
        {
            var sb = new StringBuilder();
            foreach (var (label, value) in samples)
                sb.Append(label).Append(": ").AppendLine(Round(value, 2, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        int Sum(params int[] xs) => xs.Aggregate(0, (acc, x) => checked(acc + x));

        double? SafeLog(double x)
        {
            try { return x > 0 ? Log(x) : null; }
            catch (ArithmeticException) { return null; }
            finally { }
        }

        int[] Sorted(int[] xs)
        {
            var copy = xs[..];
            Array.Sort(copy);
            List<int> all = [.. copy, 100];
            int[] small = [1, 2, 3];
            return all.Concat(small).Distinct().OrderBy(x => x).ToArray();
        }

        var rng = new Random(42);
        var points = Enumerable.Range(0, 5).Select(i => new Point(i, rng.NextDouble())).ToList();
        int Local(int z) => z + points.Count;
        var counts = new Dictionary<string, int> { ["a"] = 1 };
        counts["b"] = Local(1);
        var big = System.Numerics.BigInteger.Pow(2, 70);
        var z = new System.Numerics.Complex(1, 2) * 2;
        Console.WriteLine($"{points.Count} points, first {Format(points[0])}, 2^70 = {big}, z = {z}");
        Console.WriteLine(string.Join(", ", "a", "b", "c", "d", "e"));
        """;

    [Fact]
    public void A_realistic_submission_compiles_without_refusals()
    {
        var result = Compile(LinearAlgebraWeek);

        Assert.True(result.Status == CompileStatus.Ok, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == "error");
    }

    [Fact]
    public async Task A_realistic_submission_runs_and_computes()
    {
        var result = Compile(LinearAlgebraWeek);
        Assert.Equal(CompileStatus.Ok, result.Status);
        var context = new AssemblyLoadContext("submission", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(new MemoryStream(result.Assembly!)).GetType(CompileResult.ScriptClassName)!;
            var factory = type.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.Static)!;
            var slots = new object[2];
            await (Task<object>)factory.Invoke(null, [slots])!;
            var submission = slots[1];
            object? Call(string name, params object?[] args) => type.GetMethod(name)!.Invoke(submission, args);

            Assert.Equal(32.0, Call("Dot", new[] { 1.0, 2.0, 3.0 }, new[] { 4.0, 5.0, 6.0 }));
            var x = (double[])Call("SolveSystem", new double[,] { { 2, 1 }, { 1, 3 } }, new[] { 3.0, 5.0 })!;
            Assert.Equal(0.8, x[0], 12);
            Assert.Equal(1.4, x[1], 12);
            Assert.Equal(6, Call("Sum", new[] { 1, 2, 3 }));
            Assert.Equal(new[] { 1, 2, 3, 5, 9, 100 }, Call("Sorted", new[] { 9, 5, 1 }));
            Assert.Equal(new[] { 1.0, 3.0, 6.0 }, ((IEnumerable<double>)Call("Running", new[] { 1.0, 2.0, 3.0 })!).ToArray());
            Assert.Equal(Math.Sqrt(2), (double)Call("Newton", (Func<double, double>)(v => v * v - 2), (Func<double, double>)(v => 2 * v), 1.0, 50)!, 12);
        }
        finally
        {
            context.Unload();
        }
    }

    [Theory]
    [InlineData("IEnumerable<int> Evens() { for (var i = 0; ; i += 2) yield return i; }")]
    [InlineData("record Pair(int A, int B); bool Same(Pair p, Pair q) => p == q && p.Equals(q) && p.GetHashCode() == q.GetHashCode() && p.ToString().Length > 0;")]
    [InlineData("record Shape(double Area); record Square(double Side) : Shape(Side * Side); Shape S() => new Square(2) with { Area = 1 };")]
    [InlineData("int F(int x) { var add = (int y) => x + y; return add(1); }")]
    [InlineData("(int, string) F() => (1, \"a\"); int G() { var (n, s) = F(); return n + s.Length; }")]
    [InlineData("int F(object o) => o switch { int i when i > 0 => i, string { Length: var n } => n, int[] and [var first, ..] => first, _ => 0 };")]
    [InlineData("decimal Money(decimal amount = 1.50m) => amount * 2;")]
    [InlineData("int F(int? x) => x ?? x.GetValueOrDefault();")]
    [InlineData("List<int> F() => [1, 2, 3];")]
    [InlineData("IEnumerable<int> F() => [1, 2, 3];")]
    [InlineData("int F() { ReadOnlySpan<int> s = [1, 2, 3]; var t = 0; foreach (var v in s) t += v; return t; }")]
    [InlineData("int[] F(int[] a) => a[1..^1];")]
    [InlineData("string F(double x) => Math.Round(x, 2, MidpointRounding.ToEven).ToString(System.Globalization.CultureInfo.InvariantCulture);")]
    [InlineData("class Counter { public event Action Ticked; public void Tick() => Ticked?.Invoke(); }")]
    [InlineData("delegate double Op(double x); double Apply(Op op) => op(2);")]
    [InlineData("T Max<T>(T a, T b) where T : System.Numerics.INumber<T> => a > b ? a : b;")]
    [InlineData("class Box<T> where T : unmanaged { public T Value; }")]
    [InlineData("struct V { public double X; public readonly double Len(in V other) => X + other.X; }")]
    [InlineData("class P { public required double X { get; init; } }")]
    [InlineData("int F(string s) => s switch { \"a\" => 1, \"b\" => 2, \"c\" => 3, \"d\" => 4, \"e\" => 5, \"f\" => 6, \"g\" => 7, _ => 0 };")]
    [InlineData("int F() { using var e = new List<int> { 1 }.GetEnumerator(); return e.MoveNext() ? e.Current : 0; }")]
    [InlineData("var q = from x in new[] { 1, 2, 3 } where x > 1 orderby x descending select new { x, Square = x * x };")]
    [InlineData("double F() => MathNet.Numerics.SpecialFunctions.Gamma(5) + MathNet.Numerics.Integrate.OnClosedInterval(x => x, 0, 1);")]
    [InlineData("var v = Vector<double>.Build.Dense(3, i => i); var n = v.L2Norm() + v.Sum() + (v * 2).DotProduct(v);")]
    [InlineData("var m = Matrix<double>.Build.Random(3, 3, new MathNet.Numerics.Distributions.Normal()); var qr = m.QR(); var c = m.Cholesky;")]
    [InlineData("int F(int x) { checked { return x * 2; } }")]
    [InlineData("string F() => new string('x', 3) + string.Concat(\"a\", \"b\") + \"abc\".Substring(1).ToUpperInvariant();")]
    [InlineData("var sorted = new SortedDictionary<int, string>(); var set = new HashSet<int>(); var queue = new PriorityQueue<string, int>(); var stack = new Stack<int>();")]
    [InlineData("double F(double[] xs) => xs.Max() - xs.Min() + xs.Sum() / xs.Average();")]
    [InlineData("Console.WriteLine(\"{0} {1} {2} {3} {4}\", 1, 2, 3, 4, 5);")]
    [InlineData("var tuple = Tuple.Create(1, 2); var kv = new KeyValuePair<int, int>(1, 2); var (k, v) = kv;")]
    [InlineData("int F(string s) => int.TryParse(s, out var n) ? n : -1;")]
    [InlineData("bool F(double x) => double.IsNaN(x) || double.IsInfinity(x) || x > double.MaxValue;")]
    [InlineData("var ex = new InvalidOperationException(\"x\", new NotImplementedException()); var msg = ex.InnerException?.Message + ex.StackTrace;")]
    [InlineData("int F() { var arr = new int[5]; Array.Fill(arr, 1); Array.Copy(arr, new int[5], 5); return Array.IndexOf(arr, 1); }")]
    [InlineData("string F(object o) => o is IComparable c ? c.CompareTo(o).ToString() : o?.ToString() ?? \"\";")]
    public void Ordinary_code_compiles_without_refusals(string source)
    {
        var result = Compile(source);

        Assert.True(result.Status == CompileStatus.Ok, string.Join("\n", result.Diagnostics));
    }

    [Theory]
    [InlineData("var m = Matrix<double>.Build.Dense(2, 2, (i, j) => i + j + 1.0); var inv = m.Inverse(); var r = m.Rank(); var k = m.Kernel(); var sub = m.SubMatrix(0, 1, 0, 1);")]
    [InlineData("var m = Matrix<double>.Build.DenseIdentity(3); var col = m.Column(0).Normalize(2); var mapped = m.Map(x => x * 2); var arr = m.ToArray(); var text = m.ToString(\"F2\");")]
    [InlineData("var v = Vector<double>.Build.DenseOfArray(new[] { 1.0, 2.0 }); var outer = v.OuterProduct(v); var mv = outer.Multiply(v); var e = v.Enumerate().Sum(); Console.WriteLine(outer);")]
    [InlineData("var evd = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 0 }, { 0, 3 } }).Evd(); System.Numerics.Complex first = evd.EigenValues[0]; var re = first.Real + first.Magnitude;")]
    [InlineData("using MathNet.Numerics.Statistics; var xs = new[] { 1.0, 2.0, 4.0 }; var s = Statistics.Variance(xs) + Statistics.Median(xs) + Correlation.Pearson(xs, xs) + xs.StandardDeviation();")]
    [InlineData("using MathNet.Numerics.Distributions; var rng = new Random(1); var u = ContinuousUniform.Sample(rng, 0, 1); var ns = Normal.Samples(rng, 0, 1).Take(3).ToArray(); var c = new Normal(0, 1).CumulativeDistribution(0.5);")]
    [InlineData("using MathNet.Numerics; var line = Fit.Line(new[] { 1.0, 2.0 }, new[] { 2.0, 4.0 }); var poly = Fit.Polynomial(new[] { 1.0, 2.0, 3.0 }, new[] { 1.0, 4.0, 9.0 }, 2); var b = Combinatorics.Combinations(5, 2) + SpecialFunctions.Erf(0.5); var close = Precision.AlmostEqual(1.0, 1.0 + 1e-16, 1e-12);")]
    [InlineData("var d = new Dictionary<string, int>(); if (d.TryGetValue(\"a\", out var n)) n++; foreach (var (key, value) in d) Console.WriteLine(key + value);")]
    [InlineData("var pairs = new[] { 1, 2 }.Zip(new[] { \"a\", \"b\" }).ToDictionary(p => p.First, p => p.Second); var flat = new[] { new[] { 1 }, new[] { 2 } }.SelectMany(x => x).ToList(); flat.Sort((a, b) => b.CompareTo(a)); flat.Reverse();")]
    [InlineData("double Pow(double x) => Math.Pow(x, 2) + Math.Exp(x) + Math.Log(x, 2) + Math.Atan2(x, 1) + Math.Clamp(x, 0, 1) + MathF.Sqrt((float)x) + double.Epsilon;")]
    public void Ordinary_MathNet_code_compiles_without_refusals(string source)
    {
        var result = Compile(source);

        Assert.True(result.Status == CompileStatus.Ok, string.Join("\n", result.Diagnostics));
    }
}
