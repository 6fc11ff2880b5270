// UniformGenerator swaps a and b when a > b, which changes which end each uniform maps to.
// expect-score: 98
// expect-message: without sorting the bounds
using MathNet.Numerics;

// Keep these records as they are: the grader reads and writes them by their property names.
public record Dog(double Height, double Weight, double BarkDays, double EarHeadRatio, int Breed);
public record BreedParams(double HeightMu, double HeightSigma, double WeightMu, double WeightSigma,
                          int BarkDaysN, double BarkDaysP, double EarHeadRatioA, double EarHeadRatioB);
public record Email(string Text, int Spam);

// Exercise 1: one rng.NextDouble() per sample, in order.
double[] UniformGenerator(double a, double b, int numSamples, Random rng)
{
    if (a > b)
    {
        (a, b) = (b, a);
    }
    var samples = new double[numSamples];
    for (int i = 0; i < numSamples; i++)
    {
        samples[i] = a + (b - a) * rng.NextDouble();
    }
    return samples;
}

// Exercise 2
double InverseCdfGaussian(double y, double mu, double sigma)
{
    if (y <= 0) return double.NegativeInfinity;
    if (y >= 1) return double.PositiveInfinity;
    return sigma * Math.Sqrt(2) * SpecialFunctions.ErfInv(2 * y - 1) + mu;
}

double[] GaussianGenerator(double mu, double sigma, int numSamples, Random rng) =>
    UniformGenerator(0, 1, numSamples, rng).Select(u => InverseCdfGaussian(u, mu, sigma)).ToArray();

// Exercise 3: the smallest k with CDF(k) >= y.
double InverseCdfBinomial(double y, int n, double p)
{
    if (y <= 0) return -1;
    double cdf = 0;
    for (int k = 0; k < n; k++)
    {
        cdf += PdfBinomial(k, n, p);
        if (cdf >= y) return k;
    }
    return n;
}

double[] BinomialGenerator(int n, double p, int numSamples, Random rng) =>
    UniformGenerator(0, 1, numSamples, rng).Select(u => InverseCdfBinomial(u, n, p)).ToArray();

// Exercise 4
double PdfUniform(double x, double a, double b) => x >= a && x <= b ? 1.0 / (b - a) : 0;

double PdfGaussian(double x, double mu, double sigma) =>
    Math.Exp(-0.5 * Math.Pow((x - mu) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI));

double PdfBinomial(int x, int n, double p)
{
    if (x < 0 || x > n) return 0;
    return SpecialFunctions.Binomial(n, x) * Math.Pow(p, x) * Math.Pow(1 - p, n - x);
}

// Exercise 5: per breed (0, 1, …): Gaussian height and weight, binomial bark days (n = 30), uniform ear/head ratio.
BreedParams[] ComputeTrainingParams(Dog[] dogs)
{
    int breeds = dogs.Max(d => d.Breed) + 1;
    var result = new BreedParams[breeds];
    for (int c = 0; c < breeds; c++)
    {
        var group = dogs.Where(d => d.Breed == c).ToArray();
        var (hMu, hSigma) = MeanStd(group.Select(d => d.Height).ToArray());
        var (wMu, wSigma) = MeanStd(group.Select(d => d.Weight).ToArray());
        double p = group.Average(d => d.BarkDays / 30.0);
        result[c] = new BreedParams(hMu, hSigma, wMu, wSigma, 30, p,
                                    group.Min(d => d.EarHeadRatio), group.Max(d => d.EarHeadRatio));
    }
    return result;
}

(double mean, double std) MeanStd(double[] xs)
{
    double mean = xs.Average();
    return (mean, Math.Sqrt(xs.Average(x => (x - mean) * (x - mean))));
}

double[] ClassPriors(Dog[] dogs)
{
    int breeds = dogs.Max(d => d.Breed) + 1;
    return Enumerable.Range(0, breeds).Select(c => dogs.Count(d => d.Breed == c) / (double)dogs.Length).ToArray();
}

// Exercise 6: class-conditional independence: the product of one density per feature.
double ProbOfXGivenC(double[] X, string[] features, BreedParams bp)
{
    if (X.Length != features.Length) return 0;
    double probability = 1;
    for (int i = 0; i < X.Length; i++)
    {
        probability *= features[i] switch
        {
            "height" => PdfGaussian(X[i], bp.HeightMu, bp.HeightSigma),
            "weight" => PdfGaussian(X[i], bp.WeightMu, bp.WeightSigma),
            "bark_days" => PdfBinomial((int)Math.Round(X[i]), bp.BarkDaysN, bp.BarkDaysP),
            "ear_head_ratio" => PdfUniform(X[i], bp.EarHeadRatioA, bp.EarHeadRatioB),
            _ => throw new ArgumentException($"unknown feature {features[i]}"),
        };
    }
    return probability;
}

// Exercise 7
int PredictBreed(double[] X, string[] features, BreedParams[] breedParams, double[] priors)
{
    int best = 0;
    double bestScore = double.NegativeInfinity;
    for (int c = 0; c < breedParams.Length; c++)
    {
        double score = ProbOfXGivenC(X, features, breedParams[c]) * priors[c];
        if (score > bestScore)
        {
            best = c;
            bestScore = score;
        }
    }
    return best;
}

// Exercise 8: in how many spam and ham emails each word appears (lower case, each word once per email).
string[] Words(string text) =>
    text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();

Dictionary<string, (int spam, int ham)> WordFreqPerClass(Email[] emails)
{
    var result = new Dictionary<string, (int spam, int ham)>();
    foreach (var email in emails)
    {
        foreach (var word in Words(email.Text))
        {
            var (spam, ham) = result.GetValueOrDefault(word);
            result[word] = email.Spam == 1 ? (spam + 1, ham) : (spam, ham + 1);
        }
    }
    return result;
}

// Exercise 9
(int spam, int ham) ClassFrequencies(Email[] emails) =>
    (emails.Count(e => e.Spam == 1), emails.Count(e => e.Spam != 1));

// Exercise 10
double NaiveBayesClassifier(string text, Dictionary<string, (int spam, int ham)> wordFreq, (int spam, int ham) classFreq)
{
    double productSpam = 1;
    double productHam = 1;
    foreach (var word in Words(text))
    {
        if (!wordFreq.TryGetValue(word, out var counts)) continue;
        productSpam *= counts.spam / (double)classFreq.spam;
        productHam *= counts.ham / (double)classFreq.ham;
    }
    int total = classFreq.spam + classFreq.ham;
    double likelihoodSpam = productSpam * classFreq.spam / total;
    double likelihoodHam = productHam * classFreq.ham / total;
    return likelihoodSpam / (likelihoodSpam + likelihoodHam);
}
