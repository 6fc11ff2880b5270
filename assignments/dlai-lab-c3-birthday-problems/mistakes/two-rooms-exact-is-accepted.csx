// Not a mistake: problem 4 computed exactly (the README's aside), conditioning on the number of
// different birthdays in room A. It differs from the course's formula by under 0.05 % for the
// graded class sizes and scores full marks.
// expect-score: 100
using System;
using System.Collections.Generic;
using System.Linq;

// Exercise 1 (problem 1): some of n students has one given birthday.
double ProbSharesFixedDay(int n, int days) => 1 - Math.Pow((days - 1.0) / days, n);

// Exercise 2 (problem 2): some other student shares the birthday of one chosen student.
double ProbSharesWithChosenStudent(int n, int days) => 1 - Math.Pow((days - 1.0) / days, n - 1);

// Exercise 3 (problem 3): some two of n students share a birthday.
double ProbAnyPairShares(int n, int days)
{
    double allDifferent = 1;
    for (int i = 0; i < n; i++)
        allDifferent *= (double)(days - i) / days;
    return 1 - Math.Max(allDifferent, 0);
}

// Exercise 4 (problem 4): some student of room A shares a birthday with some student of room B,
// both rooms of n students.

double ProbMatchBetweenRooms(int n, int days)
{
    // distinct[k] = probability that room A's n birthdays cover exactly k different days.
    var distinct = new double[n + 1];
    distinct[0] = 1;
    for (int s = 0; s < n; s++)
    {
        var next = new double[n + 1];
        for (int k = 0; k <= s; k++)
        {
            if (distinct[k] == 0) continue;
            next[k] += distinct[k] * k / days;                   // same day as someone before
            if (k + 1 <= n) next[k + 1] += distinct[k] * (days - k) / (double)days;  // a new day
        }
        distinct = next;
    }
    // Given k distinct days in room A, nobody in room B may be born on any of them.
    double noMatch = 0;
    for (int k = 0; k <= n; k++)
        noMatch += distinct[k] * Math.Pow((double)(days - k) / days, n);
    return 1 - noMatch;
}

// Exercise 5: the smallest class size whose probability reaches the target.
double Probability(int problem, int n, int days) => problem switch
{
    1 => ProbSharesFixedDay(n, days),
    2 => ProbSharesWithChosenStudent(n, days),
    3 => ProbAnyPairShares(n, days),
    4 => ProbMatchBetweenRooms(n, days),
    _ => throw new ArgumentOutOfRangeException(nameof(problem)),
};

int SmallestClassSize(int problem, double target, int days)
{
    int n = 1;
    while (Probability(problem, n, days) < target) n++;
    return n;
}

// Exercise 6: estimate the probability by simulation.
bool Trial(int problem, int n, int days, Random rng)
{
    switch (problem)
    {
        case 1:
        {
            int fixedDay = rng.Next(days);
            for (int i = 0; i < n; i++)
                if (rng.Next(days) == fixedDay) return true;
            return false;
        }
        case 2:
        {
            // The chosen student's birthday against the n − 1 others.
            int chosen = rng.Next(days);
            for (int i = 1; i < n; i++)
                if (rng.Next(days) == chosen) return true;
            return false;
        }
        case 3:
        {
            var seen = new HashSet<int>();
            for (int i = 0; i < n; i++)
                if (!seen.Add(rng.Next(days))) return true;
            return false;
        }
        case 4:
        {
            var roomA = new HashSet<int>();
            for (int i = 0; i < n; i++) roomA.Add(rng.Next(days));
            bool match = false;
            for (int i = 0; i < n; i++)
                if (roomA.Contains(rng.Next(days))) match = true;
            return match;
        }
        default:
            throw new ArgumentOutOfRangeException(nameof(problem));
    }
}

double SimulateProblem(int problem, int n, int days, int trials, Random rng)
{
    int matches = 0;
    for (int t = 0; t < trials; t++)
        if (Trial(problem, n, days, rng)) matches++;
    return (double)matches / trials;
}
