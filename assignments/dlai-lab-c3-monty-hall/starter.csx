using System;
using System.Collections.Generic;
using System.Linq;

// Exercise 1: exact probabilities of winning with n doors when the host opens k of them.
// Throw ArgumentException unless n >= 2 and 0 <= k <= n - 2.
double WinProbabilityStay(int n, int k)
{
    throw new NotImplementedException();
}

double WinProbabilitySwitch(int n, int k)
{
    throw new NotImplementedException();
}

// Exercise 2: the doors the host may open, and the doors the player may switch to (increasing order).
int[] HostOptions(int n, int car, int pick)
{
    throw new NotImplementedException();
}

int[] SwitchOptions(int n, int pick, int[] opened)
{
    throw new NotImplementedException();
}

// Exercise 3: the fraction of games won in games simulated games.
double SimulateWinRate(int n, int k, bool switchDoor, int games, Random rng)
{
    throw new NotImplementedException();
}

// Exercise 4: P(win by switching) / P(win by staying).
double SwitchAdvantage(int n, int k)
{
    throw new NotImplementedException();
}
