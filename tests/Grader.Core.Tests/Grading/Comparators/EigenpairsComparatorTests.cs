using Grader.Core.Grading.Comparators;

namespace Grader.Core.Tests.Grading.Comparators;

public sealed class EigenpairsComparatorTests
{
    private readonly EigenpairsComparator _eigenpairs = new();

    // A = [[4, 1], [2, 3]]: λ = 5 with v = (1, 1)/√2 and λ = 2 with v = (1, −2)/√5, as numpy's eig returns them.
    private const string Matrix = "[[[4, 1], [2, 3]]]";
    private const string Reference = "[[5, 2], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";

    [Fact]
    public void Eigenpairs_passes_the_reference_answer()
    {
        var result = ComparatorCall.Run(_eigenpairs, Reference, Reference, args: Matrix);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Eigenpairs_passes_vectors_with_flipped_signs_in_another_order()
    {
        var actual = "[[2, 5], [[0.4472135954999579, -0.7071067811865475], [-0.8944271909999159, -0.7071067811865475]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, actual, args: Matrix);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Eigenpairs_fails_an_eigenvector_that_is_not_normalised()
    {
        var actual = "[[5, 2], [[1, -0.4472135954999579], [1, 0.8944271909999159]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, actual, args: Matrix);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.PropertyViolated, result.Hint);
        Assert.Equal("[1][:,0]", result.Where);
        Assert.StartsWith("column 0 is not normalised: ‖v‖ = 1.414", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eigenpairs_fails_a_column_paired_with_the_wrong_eigenvalue()
    {
        var swapped = "[[2, 5], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, swapped, args: Matrix);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.PropertyViolated, result.Hint);
        Assert.StartsWith("column 0 is not an eigenvector of A for λ = 2: ‖A·v − λ·v‖ = 3 (allowed ", result.Message, StringComparison.Ordinal);
        Assert.Equal(3, result.MaxDifference!.Value, 1e-9);
    }

    [Fact]
    public void Eigenpairs_fails_wrong_eigenvalues_before_looking_at_vectors()
    {
        var actual = "[[5, 2.5], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, actual, args: Matrix);

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("[0][1]", result.Where);
        Assert.Equal("the eigenvalues differ: expected [5, 2] in any order, got [5, 2.5]", result.Message);
    }

    [Fact]
    public void Eigenpairs_accepts_numpys_answer_for_a_defective_shear()
    {
        // eig([[1, 1], [0, 1]]) returns two numerically parallel columns; each still satisfies A·v = λ·v.
        var shear = "[[[1, 1], [0, 1]]]";
        var numpy = "[[1, 1], [[1, -1], [0, 2.220446049250313e-16]]]";

        var result = ComparatorCall.Run(_eigenpairs, numpy, numpy, args: shear);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Eigenpairs_finds_the_matrix_in_the_argument_named_by_matrixArg()
    {
        var args = "[\"label\", [[4, 1], [2, 3]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, Reference, """{"kind": "eigenpairs", "matrixArg": 1}""", args);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Eigenpairs_says_complex_eigenvalues_are_not_supported()
    {
        var complex = """[[{"real": 0, "imaginary": 1}, {"real": 0, "imaginary": -1}], [[1, 0], [0, 1]]]""";

        var result = ComparatorCall.Run(_eigenpairs, Reference, complex, args: Matrix);

        Assert.Equal(HintCategory.WrongType, result.Hint);
        Assert.Contains("real eigenvalues only", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[5, 2]]", HintCategory.WrongShape)]
    [InlineData("[[5, 2, 1], [[1, 0], [0, 1]]]", HintCategory.WrongShape)]
    [InlineData("[[5, 2], [0.7071067811865475, 0.7071067811865475, -0.4472135954999579, 0.8944271909999159]]", HintCategory.WrongShape)]
    [InlineData("\"eig\"", HintCategory.WrongType)]
    [InlineData("null", HintCategory.WrongType)]
    public void Eigenpairs_fails_a_result_not_shaped_like_values_and_vectors(string actual, HintCategory hint)
    {
        var result = ComparatorCall.Run(_eigenpairs, Reference, actual, args: Matrix);

        Assert.False(result.Passed);
        Assert.Equal(hint, result.Hint);
    }

    [Fact]
    public void Eigenpairs_describes_eigenvectors_given_as_a_flat_vector()
    {
        var flat = "[[5, 2], [0.7071067811865475, 0.7071067811865475, -0.4472135954999579, 0.8944271909999159]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, flat, args: Matrix);

        Assert.Equal("expected the eigenvectors as a 2×2 matrix (one eigenvector per column), got a vector of length 4", result.Message);
    }

    [Fact]
    public void Eigenpairs_fails_NaN_in_the_eigenvalues_and_the_eigenvectors()
    {
        var nanValue = "[[5, \"NaN\"], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";
        var nanVector = "[[5, 2], [[\"NaN\", -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";

        var valueResult = ComparatorCall.Run(_eigenpairs, Reference, nanValue, args: Matrix);
        var vectorResult = ComparatorCall.Run(_eigenpairs, Reference, nanVector, args: Matrix);

        Assert.Equal(HintCategory.ValuesDiffer, valueResult.Hint);
        Assert.Equal(HintCategory.PropertyViolated, vectorResult.Hint);
        Assert.Equal("column 0 contains a value that is not finite", vectorResult.Message);
    }

    [Fact]
    public void Eigenpairs_is_misconfigured_when_the_argument_is_not_a_square_matrix()
    {
        var result = ComparatorCall.Run(_eigenpairs, Reference, Reference, args: "[[1, 2, 3]]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
        Assert.Contains("argument 0 must be a square matrix", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eigenpairs_is_misconfigured_when_matrixArg_is_out_of_range()
    {
        var result = ComparatorCall.Run(_eigenpairs, Reference, Reference, """{"matrixArg": 3}""", Matrix);

        Assert.Equal(HintCategory.None, result.Hint);
        Assert.Contains("matrixArg 3 is out of range", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eigenpairs_is_misconfigured_for_an_empty_matrix_argument()
    {
        var result = ComparatorCall.Run(_eigenpairs, "[[], []]", "[[], []]", args: "[[]]");

        Assert.False(result.Passed);
        Assert.Equal(HintCategory.None, result.Hint);
    }

    [Theory]
    [InlineData("""{"matrixArg": -1}""", "matrixArg: must be a non-negative integer")]
    [InlineData("""{"matrixArg": 0.5}""", "matrixArg: must be a non-negative integer")]
    [InlineData("""{"tol": "small"}""", "tol: must be a non-negative number")]
    [InlineData("""{"rtol": 1e-6}""", "rtol: unknown parameter (expected one of matrixArg, tol)")]
    public void Eigenpairs_rejects_bad_parameters(string parameters, string problem)
    {
        var problems = ComparatorCall.Problems(_eigenpairs, parameters);

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void Eigenpairs_accepts_negative_zero_in_the_eigenvectors_of_a_diagonal_matrix()
    {
        var diagonal = "[[[2, 0], [0, 3]]]";
        var answer = "[[3, 2], [[-0.0, -1], [1, 0]]]";

        var result = ComparatorCall.Run(_eigenpairs, "[[2, 3], [[1, 0], [0, 1]]]", answer, args: diagonal);

        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void Eigenpairs_fails_ragged_eigenvectors_as_a_shape_problem()
    {
        var result = ComparatorCall.Run(_eigenpairs, Reference, "[[5, 2], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475]]]", args: Matrix);

        Assert.Equal(HintCategory.WrongShape, result.Hint);
        Assert.EndsWith("got a ragged array", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eigenpairs_fails_an_infinite_eigenvalue()
    {
        var actual = "[[5, \"Infinity\"], [[0.7071067811865475, -0.4472135954999579], [0.7071067811865475, 0.8944271909999159]]]";

        var result = ComparatorCall.Run(_eigenpairs, Reference, actual, args: Matrix);

        Assert.Equal(HintCategory.ValuesDiffer, result.Hint);
        Assert.Equal("the eigenvalues differ: expected [5, 2] in any order, got [5, Infinity]", result.Message);
    }
}
