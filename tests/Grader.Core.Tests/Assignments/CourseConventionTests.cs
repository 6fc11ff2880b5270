using System.Text.RegularExpressions;
using Grader.Core.Grading;

namespace Grader.Core.Tests.Assignments;

// A student who does what the course teaches must pass.
[Collection(EngineCollection.Name)]
public sealed class CourseConventionTests(EngineFixture fixture)
{
    private const string Birthday = "dlai-lab-c3-birthday-problems";

    // The course's lab computes problem 4 as 1 − (364/365)^(n²); the exact value is an aside.
    [Fact]
    public async Task Problem_4_by_the_courses_formula_scores_full_marks()
    {
        const string problem4 = "double ProbMatchBetweenRooms(int n, int days) => 1 - Math.Pow((days - 1.0) / days, n * n);";
        var reference = File.ReadAllText(Path.Combine(EngineFixture.AssignmentsDirectory, Birthday, "reference.csx"));
        // The reference's own problem 4, whether written as an expression or as a block, swapped for the course's.
        var own = Regex.Match(reference, @"^double ProbMatchBetweenRooms\(int n, int days\)(\s*=>[^\n]*|\s*\{.*?\n\})\n", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(own.Success);
        var report = await fixture.GradeAsync(Birthday, reference.Replace(own.Value, problem4 + "\n", StringComparison.Ordinal));

        var ex4 = report.Exercises.Single(e => e.Id == "ex4");
        Assert.Equal(GradeStatus.Graded, report.Status);
        Assert.Equal(ex4.MaxScore, ex4.Score);
        Assert.Equal(report.MaxScore, report.Score);
    }

    // The course's own check of nn_model: 3000 iterations at learning rate 1.2 on its 2000 points,
    // which it says bring the cost to about 0.19.
    [Fact]
    public async Task The_two_layer_network_is_trained_at_the_courses_size()
    {
        var (package, expected) = await fixture.PackageAsync("dlai-c2w3-two-layer-network");

        var spec = package.Manifest.Cases.Single(c => c.Name == "model-course-size");
        var args = package.ResolvedArgs[spec.Name];
        var x = args[0]!.AsArray();
        var y = args[1]!.AsArray()[0]!.AsArray();
        Assert.Equal(2, x.Count);
        Assert.Equal(2000, x[0]!.AsArray().Count);
        Assert.Equal(3000, args[3]!.GetValue<int>());
        Assert.Equal(1.2, args[4]!.GetValue<double>());
        Assert.True(spec.WallMs > package.Manifest.Limits.CaseWallMs);

        // The cost of the trained parameters the reference returned, computed here independently.
        var p = expected.ByCase[spec.Name].Value!.AsObject();
        double[][] M(string name) => [.. p[name]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray())];
        var (w1, b1, w2, b2) = (M("W1"), M("b1"), M("W2"), M("b2"));
        double cost = 0;
        for (int j = 0; j < 2000; j++)
        {
            var input = new[] { x[0]![j]!.GetValue<double>(), x[1]![j]!.GetValue<double>() };
            var hidden = Enumerable.Range(0, 2).Select(h => Sigmoid(w1[h][0] * input[0] + w1[h][1] * input[1] + b1[h][0])).ToArray();
            var a2 = Sigmoid(w2[0][0] * hidden[0] + w2[0][1] * hidden[1] + b2[0][0]);
            var label = y[j]!.GetValue<double>();
            cost += -label * Math.Log(a2) - (1 - label) * Math.Log(1 - a2);
        }
        Assert.InRange(cost / 2000, 0.18, 0.20);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
    }

    // The ICL PCA weeks work on real handwritten digits in the course (MNIST); the packages use
    // real ones too (UCI 8×8, CC BY 4.0), attributed, rather than digits drawn for the port.
    [Theory]
    [InlineData("icl-pca-w2-distances-angles", "data/digits-uci.json", 30)]
    [InlineData("icl-pca-w4-pca", "data/digits-uci-20.json", 20)]
    public void The_PCA_weeks_use_real_handwritten_digits_with_their_attribution(string id, string file, int count)
    {
        var folder = Path.Combine(EngineFixture.AssignmentsDirectory, id);
        var data = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!.AsObject();
        var readme = File.ReadAllText(Path.Combine(folder, "README.md"));

        Assert.Contains("Optical Recognition of Handwritten Digits", data["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("CC BY 4.0", data["license"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("doi.org/10.24432/C50P49", readme, StringComparison.Ordinal);
        Assert.Contains("CC BY 4.0", readme, StringComparison.Ordinal);
        var images = data["images"]!.AsArray();
        Assert.Equal(count, images.Count);
        Assert.Equal(count, data["sourceIndices"]!.AsArray().Count);
        // The data set's pixels are counts 0–16 of a 4×4 block, scaled by 1/16.
        Assert.All(images, image =>
        {
            var pixels = image!.AsArray().Select(v => v!.GetValue<double>() * 16).ToArray();
            Assert.Equal(64, pixels.Length);
            Assert.All(pixels, p => Assert.True(p >= 0 && p <= 16 && p == Math.Floor(p), $"pixel {p / 16} is not a count of 16ths"));
        });
        var labels = data["labels"]!.AsArray().Select(l => l!.GetValue<int>()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10), labels.Distinct().Order());
    }
}
