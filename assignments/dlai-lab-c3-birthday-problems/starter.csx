using System;
using System.Collections.Generic;
using System.Linq;

// Exercise 1 (problem 1): probability that at least one of n students has a given birthday.
double ProbSharesFixedDay(int n, int days)
{
    throw new NotImplementedException();
}

// Exercise 2 (problem 2): probability that another student shares the birthday of a chosen one.
double ProbSharesWithChosenStudent(int n, int days)
{
    throw new NotImplementedException();
}

// Exercise 3 (problem 3): probability that at least two of n students share a birthday.
double ProbAnyPairShares(int n, int days)
{
    throw new NotImplementedException();
}

// Exercise 4 (problem 4): probability of a shared birthday between two rooms of n students each.
double ProbMatchBetweenRooms(int n, int days)
{
    throw new NotImplementedException();
}

// Exercise 5: the smallest n whose probability for the given problem (1 to 4) is at least target.
int SmallestClassSize(int problem, double target, int days)
{
    throw new NotImplementedException();
}

// Exercise 6: the fraction of trials simulated experiments in which a match happens.
double SimulateProblem(int problem, int n, int days, int trials, Random rng)
{
    throw new NotImplementedException();
}
