using System.Text.Json.Nodes;
using Grader.Core.Sandbox;
using Grader.Core.Tests.Grading;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grader.Core.Tests.Sandbox;

/// <summary>
/// The runner multiplies dense matrices with a product of its own (faster than MathNet's for the
/// courses' wide matrices). Expected values computed before it are kept, and no grade may change
/// because the runner got faster: its products must be MathNet's to the last bit.
/// </summary>
public sealed class RunnerLinearAlgebraTests
{
    private const string Source = """
        using MathNet.Numerics.LinearAlgebra;

        Matrix<double> Product(Matrix<double> A, Matrix<double> B) => A * B;
        Vector<double> Apply(Matrix<double> A, Vector<double> v) => A * v;
        """;

    [Fact]
    public async Task Products_in_the_runner_are_MathNet_s_to_the_last_bit()
    {
        var rng = new Random(20261203);
        var launcher = RunnerLauncher.Create(null, IsolationPreference.Auto, NullLogger.Instance);
        await using var runner = launcher.Start(new RunnerLimits());
        Assert.True(await runner.WaitReadyAsync(TimeSpan.FromSeconds(20), CancellationToken.None), runner.ExitDescription);
        var load = await runner.SendAsync(new RunnerRequest
        {
            Op = RunnerOps.Load,
            Nonce = "",
            Assembly = Convert.ToBase64String(Submissions.Compile(Source).Assembly!),
        }, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(load.Succeeded, load.Detail);

        // The shapes of the courses' products (a layer over 2,000 points, its gradient) and odd ones.
        (int Rows, int Inner, int Columns)[] shapes = [(2, 2, 2000), (1, 2, 2000), (2, 2000, 2), (7, 5, 3), (1, 1, 1), (40, 33, 17)];
        foreach (var (rows, inner, columns) in shapes)
        {
            var a = Awkward(rng, rows, inner);
            var b = Awkward(rng, inner, columns);
            var got = await CallAsync(runner, "Product", Rows(a), Rows(b));
            AssertSameBits(a * b, got.AsArray().Select(row => row!.AsArray().Select(x => Number(x!)).ToArray()).ToArray(), $"{rows}x{inner} by {inner}x{columns}");
        }

        var m = Awkward(rng, 3, 500);
        var v = Awkward(rng, 500, 1).Column(0);
        var applied = await CallAsync(runner, "Apply", Rows(m), new JsonArray([.. v.Select(x => JsonValue.Create(x))]));
        AssertSameBits((m * v).ToColumnMatrix(), [.. applied.AsArray().Select(x => new[] { Number(x!) })], "3x500 by a vector");
    }

    private static async Task<JsonNode> CallAsync(RunnerProcess runner, string function, params JsonNode[] args)
    {
        var exchange = await runner.SendAsync(new RunnerRequest { Op = RunnerOps.Call, Nonce = "", Function = function, Args = [.. args] },
            TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(exchange.Succeeded, exchange.Detail);
        Assert.Equal("ok", exchange.Reply!.Status);
        return exchange.Reply.Value!;
    }

    // Magnitudes from 1e-6 to 1e6, both signs, exact and negative zeros: any change in the order
    // or grouping of a sum's terms shows in the last bits.
    private static Matrix<double> Awkward(Random rng, int rows, int columns) =>
        Matrix<double>.Build.Dense(rows, columns, (_, _) => rng.Next(20) switch
        {
            0 => 0.0,
            1 => -0.0,
            _ => (rng.Next(2) == 0 ? -1 : 1) * rng.NextDouble() * Math.Pow(10, rng.Next(-6, 7)),
        });

    private static JsonArray Rows(Matrix<double> m) =>
        new([.. Enumerable.Range(0, m.RowCount).Select(i => (JsonNode)new JsonArray([.. m.Row(i).Select(x => JsonValue.Create(x))]))]);

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertSameBits(Matrix<double> expected, double[][] got, string what)
    {
        Assert.Equal(expected.RowCount, got.Length);
        for (int i = 0; i < expected.RowCount; i++)
        {
            Assert.Equal(expected.ColumnCount, got[i].Length);
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                long want = BitConverter.DoubleToInt64Bits(expected[i, j]), have = BitConverter.DoubleToInt64Bits(got[i][j]);
                Assert.True(want == have, $"{what}: [{i},{j}] is {got[i][j]:R} in the runner, {expected[i, j]:R} in MathNet");
            }
        }
    }
}
