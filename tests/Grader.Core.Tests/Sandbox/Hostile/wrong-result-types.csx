// Results of every odd shape where a number and a matrix are expected.
// verdict: Graded
// case: * WrongAnswer
object Mean(double[] xs) => xs.Length > 1
    ? new Dictionary<string, object?> { ["NaN"] = "Infinity", ["value"] = null, ["nested"] = new[] { new[] { 1.0 } } }
    : "2.5";

object? Scale(double[,] M, double k) => k > 0
    ? new object?[] { new double[] { 1 }, new double[] { 1, 2, 3 }, true, null, "x" }
    : null;
