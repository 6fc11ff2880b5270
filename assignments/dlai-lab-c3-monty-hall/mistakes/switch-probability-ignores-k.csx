// WinProbabilitySwitch returns (n − 1)/n, as if the player always found the car after a
// wrong first pick. That holds only when the host leaves a single other door closed.
// expect-score: 89
// expect-message: k matters when the host leaves several doors closed
using System;
using System.Collections.Generic;
using System.Linq;

// n doors, one car; the player picks a door; the host, who knows where the car is, opens k
// other doors with goats; the player then stays or switches to one of the other closed doors.
void CheckGame(int n, int k)
{
    if (n < 2) throw new ArgumentException("there must be at least two doors");
    if (k < 0 || k > n - 2) throw new ArgumentException("the host opens between 0 and n − 2 doors");
}

// Exercise 1: exact probabilities of winning.
double WinProbabilityStay(int n, int k)
{
    CheckGame(n, k);
    return 1.0 / n;
}

double WinProbabilitySwitch(int n, int k)
{
    CheckGame(n, k);
    // The first pick is wrong with probability (n − 1)/n; then the car is one of the
    // n − k − 1 doors the player can switch to, each equally likely to be chosen.
    return (n - 1.0) / n;
}

// Exercise 2: the rules of the game.
int[] HostOptions(int n, int car, int pick) =>
    Enumerable.Range(0, n).Where(d => d != car && d != pick).ToArray();

int[] SwitchOptions(int n, int pick, int[] opened) =>
    Enumerable.Range(0, n).Where(d => d != pick && !opened.Contains(d)).ToArray();

// Exercise 3: simulate many games.
bool PlayGame(int n, int k, bool switchDoor, Random rng)
{
    int car = rng.Next(n);
    int pick = rng.Next(n);
    // The host opens k of the doors he may open, chosen at random.
    var options = HostOptions(n, car, pick).ToList();
    var opened = new int[k];
    for (int i = 0; i < k; i++)
    {
        int j = rng.Next(options.Count);
        opened[i] = options[j];
        options.RemoveAt(j);
    }
    if (switchDoor)
    {
        var choices = SwitchOptions(n, pick, opened);
        pick = choices[rng.Next(choices.Length)];
    }
    return pick == car;
}

double SimulateWinRate(int n, int k, bool switchDoor, int games, Random rng)
{
    CheckGame(n, k);
    int wins = 0;
    for (int g = 0; g < games; g++)
        if (PlayGame(n, k, switchDoor, rng)) wins++;
    return (double)wins / games;
}

// Exercise 4: how many times more likely switching wins than staying.
double SwitchAdvantage(int n, int k) => WinProbabilitySwitch(n, k) / WinProbabilityStay(n, k);
