using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics;

// Keep these records as they are: the grader reads and writes them by their property names.
public record Dog(double Height, double Weight, double BarkDays, double EarHeadRatio, int Breed);
public record BreedParams(double HeightMu, double HeightSigma, double WeightMu, double WeightSigma,
                          int BarkDaysN, double BarkDaysP, double EarHeadRatioA, double EarHeadRatioB);
public record Email(string Text, int Spam);

// Exercise 1: numSamples uniform samples between a and b, one rng.NextDouble() per sample.
double[] UniformGenerator(double a, double b, int numSamples, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 2: the Gaussian inverse CDF, and Gaussian samples by inverse transform sampling.
double InverseCdfGaussian(double y, double mu, double sigma)
{
    throw new NotImplementedException();
}

double[] GaussianGenerator(double mu, double sigma, int numSamples, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 3: the binomial inverse CDF, and binomial samples by inverse transform sampling.
double InverseCdfBinomial(double y, int n, double p)
{
    throw new NotImplementedException();
}

double[] BinomialGenerator(int n, double p, int numSamples, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 4: densities (uniform, Gaussian) and the binomial probability mass function.
double PdfUniform(double x, double a, double b)
{
    throw new NotImplementedException();
}

double PdfGaussian(double x, double mu, double sigma)
{
    throw new NotImplementedException();
}

double PdfBinomial(int x, int n, double p)
{
    throw new NotImplementedException();
}

// Exercise 5: the distribution parameters of every breed, and the breed priors.
BreedParams[] ComputeTrainingParams(Dog[] dogs)
{
    throw new NotImplementedException();
}

double[] ClassPriors(Dog[] dogs)
{
    throw new NotImplementedException();
}

// Exercise 6: P(X | breed) under class-conditional independence.
double ProbOfXGivenC(double[] X, string[] features, BreedParams bp)
{
    throw new NotImplementedException();
}

// Exercise 7: the breed with the largest P(X | breed)·P(breed).
int PredictBreed(double[] X, string[] features, BreedParams[] breedParams, double[] priors)
{
    throw new NotImplementedException();
}

// Exercise 8: for every word, the number of spam and of ham emails that contain it.
Dictionary<string, (int spam, int ham)> WordFreqPerClass(Email[] emails)
{
    throw new NotImplementedException();
}

// Exercise 9: the number of spam and of ham emails.
(int spam, int ham) ClassFrequencies(Email[] emails)
{
    throw new NotImplementedException();
}

// Exercise 10: P(spam | text).
double NaiveBayesClassifier(string text, Dictionary<string, (int spam, int ham)> wordFreq, (int spam, int ham) classFreq)
{
    throw new NotImplementedException();
}
