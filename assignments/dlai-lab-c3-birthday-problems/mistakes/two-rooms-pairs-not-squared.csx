// Problem 4 counts n pairs instead of the n·n pairs of one student from each room.
// expect-score: 79.58
// expect-message: There are n·n pairs of one student from each room, not n.
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
// The course's formula: each of the n·n pairs (one student from each room) misses with
// probability (days − 1)/days, taken as independent. The exact value (README, aside) is within
// the cases' tolerance of it for classes of a realistic size.
double ProbMatchBetweenRooms(int n, int days) => 1 - Math.Pow((days - 1.0) / days, n);

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
