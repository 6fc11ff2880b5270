namespace Grader.Core.Grading.Comparators;

/// <summary>Pairs expected with actual elements regardless of order, under a tolerance.</summary>
internal static class UnorderedMatching
{
    /// <summary>
    /// A maximum matching of numbers: each expected value accepts the actual values in
    /// [e − tol(e), e + tol(e)]. Taking the intervals by right end and giving each the smallest
    /// free point inside it is optimal, and costs O(n log n) however large the arrays are.
    /// Returns for each expected index the matched actual index, or −1.
    /// </summary>
    public static int[] MatchNumbers(IReadOnlyList<double> expected, IReadOnlyList<double> actual, Tolerance tolerance)
    {
        var match = new int[expected.Count];
        Array.Fill(match, -1);

        var points = Enumerable.Range(0, actual.Count).Where(j => !double.IsNaN(actual[j])).OrderBy(j => actual[j]).ToArray();
        var values = points.Select(j => actual[j]).ToArray();
        var nextFree = Enumerable.Range(0, points.Length + 1).ToArray();

        var intervals = Enumerable.Range(0, expected.Count)
            .Where(i => !double.IsNaN(expected[i]))
            .Select(i => (Index: i, Bounds: Bounds(expected[i], tolerance)))
            .OrderBy(x => x.Bounds.High)
            .ToArray();

        foreach (var (i, (low, high)) in intervals)
        {
            var p = Find(nextFree, LowerBound(values, low));
            while (p < points.Length && values[p] <= high)
            {
                // The interval is only a fast filter; the tolerance itself has the last word.
                if (tolerance.Accepts(expected[i], values[p]))
                {
                    match[i] = points[p];
                    nextFree[p] = p + 1;
                    break;
                }
                p = Find(nextFree, p + 1);
            }
        }
        return match;
    }

    /// <summary>For each expected value, whether some actual value is close to it.</summary>
    public static bool[] CoveredByActual(IReadOnlyList<double> expected, IReadOnlyList<double> actual, Tolerance tolerance)
    {
        var values = actual.Where(a => !double.IsNaN(a)).Order().ToArray();
        return expected.Select(e =>
        {
            if (double.IsNaN(e))
            {
                return false;
            }
            var (low, high) = Bounds(e, tolerance);
            for (var p = LowerBound(values, low); p < values.Length && values[p] <= high; p++)
            {
                if (tolerance.Accepts(e, values[p]))
                {
                    return true;
                }
            }
            return false;
        }).ToArray();
    }

    /// <summary>For each value in <paramref name="probes"/>, whether some value of <paramref name="expected"/> accepts it.</summary>
    public static bool[] CoveredByExpected(IReadOnlyList<double> expected, IReadOnlyList<double> probes, Tolerance tolerance)
    {
        var intervals = expected.Where(e => !double.IsNaN(e)).Select(e => Bounds(e, tolerance)).OrderBy(b => b.Low).ToArray();
        var lows = intervals.Select(b => b.Low).ToArray();
        var highestSoFar = new double[intervals.Length];
        for (var k = 0; k < intervals.Length; k++)
        {
            highestSoFar[k] = k == 0 ? intervals[k].High : Math.Max(highestSoFar[k - 1], intervals[k].High);
        }
        return probes.Select(a =>
        {
            if (double.IsNaN(a))
            {
                return false;
            }
            var last = UpperBound(lows, a) - 1;
            return last >= 0 && highestSoFar[last] >= a;
        }).ToArray();
    }

    /// <summary>
    /// A maximum bipartite matching for elements that cannot be sorted (vectors, strings):
    /// greedy first, then augmenting paths (Kuhn) for what is left. Callers cap n·m.
    /// </summary>
    public static int[] MatchGeneral(int expectedCount, int actualCount, Func<int, int, bool> accepts)
    {
        var edges = new List<int>[expectedCount];
        for (var i = 0; i < expectedCount; i++)
        {
            edges[i] = [];
            for (var j = 0; j < actualCount; j++)
            {
                if (accepts(i, j))
                {
                    edges[i].Add(j);
                }
            }
        }
        var expectedFor = new int[actualCount];
        Array.Fill(expectedFor, -1);
        var match = new int[expectedCount];
        Array.Fill(match, -1);
        for (var i = 0; i < expectedCount; i++)
        {
            foreach (var j in edges[i])
            {
                if (expectedFor[j] < 0)
                {
                    expectedFor[j] = i;
                    match[i] = j;
                    break;
                }
            }
        }
        for (var i = 0; i < expectedCount; i++)
        {
            if (match[i] < 0)
            {
                Augment(i, edges, match, expectedFor);
            }
        }
        return match;
    }

    // Breadth-first search for an augmenting path from an unmatched expected element; iterative so
    // that long paths cannot exhaust the stack.
    private static void Augment(int start, List<int>[] edges, int[] match, int[] expectedFor)
    {
        var cameFrom = new Dictionary<int, int>(); // actual index → expected index that reached it
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            foreach (var j in edges[i])
            {
                if (!cameFrom.TryAdd(j, i))
                {
                    continue;
                }
                if (expectedFor[j] < 0)
                {
                    // Flip the path back to the start.
                    var free = j;
                    while (true)
                    {
                        var owner = cameFrom[free];
                        var previous = match[owner];
                        match[owner] = free;
                        expectedFor[free] = owner;
                        if (owner == start)
                        {
                            return;
                        }
                        free = previous;
                    }
                }
                queue.Enqueue(expectedFor[j]);
            }
        }
    }

    private static (double Low, double High) Bounds(double e, Tolerance tolerance)
    {
        if (double.IsInfinity(e))
        {
            return (e, e);
        }
        var t = tolerance.For(e);
        return (e - t, e + t);
    }

    private static int Find(int[] nextFree, int p)
    {
        var root = p;
        while (nextFree[root] != root)
        {
            root = nextFree[root];
        }
        while (nextFree[p] != root)
        {
            var next = nextFree[p];
            nextFree[p] = root;
            p = next;
        }
        return root;
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }

    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }
}
