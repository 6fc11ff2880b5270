using Grader.Core.Sandbox;

namespace Grader.Core.Tests.Sandbox;

// Values printed by NumPy 1.24.2 (Debian's python3-numpy) with np.random.RandomState(seed).
public sealed class NumpyRandomStateTests
{
    [Theory]
    [InlineData(0, new[] { 0.5488135039273248, 0.7151893663724195, 0.6027633760716439 }, new[] { 3, 7, 9, 3, 5 }, new[] { 3, 5, 1, 1, 5 }, new[] { 3.150324556477333, 4.375175114247994 })]
    [InlineData(1, new[] { 0.417022004702574, 0.7203244934421581, 0.00011437481734488664 }, new[] { 5, 0, 0, 1, 7 }, new[] { 6, 5, 2, 3, 5 }, new[] { 3.2575835432098845, 4.055658501190278 })]
    [InlineData(42, new[] { 0.3745401188473625, 0.9507143064099162, 0.7319939418114051 }, new[] { 4, 6, 9, 2, 6 }, new[] { 3, 3, 5, 4, 3 }, new[] { 2.0617534828874073, 4.909729556485983 })]
    public void The_stream_after_a_seed_is_numpys(int seed, double[] randomSample, int[] digits, int[] dice, double[] uniform)
    {
        // random_sample(3), randint(0, 10, 5), randint(1, 7, 5), uniform(2, 5, 2), in that order.
        var rng = new NumpyRandomState(seed);
        Assert.Equal(randomSample, Enumerable.Range(0, 3).Select(_ => rng.NextDouble()));
        Assert.Equal(digits, Enumerable.Range(0, 5).Select(_ => rng.Next(0, 10)));
        Assert.Equal(dice, Enumerable.Range(0, 5).Select(_ => rng.Next(1, 7)));
        Assert.Equal(uniform, Enumerable.Range(0, 2).Select(_ => 2 + (5 - 2) * rng.NextDouble()));
    }

    [Fact]
    public void Wide_ranges_and_the_other_overloads_follow_randint()
    {
        var rng = new NumpyRandomState(42);
        // randint(0, 2**31 - 1, 3), then randint(-5, 1000000, 3).
        Assert.Equal([1608637542, 1273642419, 1935803228], Enumerable.Range(0, 3).Select(_ => rng.Next()));
        Assert.Equal([365833L, 259173L, 644162L], Enumerable.Range(0, 3).Select(_ => rng.NextInt64(-5, 1_000_000)));
        var other = new NumpyRandomState(123);
        Assert.Equal([0.6964691855978616, 0.28613933495037946], new[] { other.NextDouble(), other.NextDouble() });
        Assert.Equal(92, other.Next(100));
    }

    [Fact]
    public void A_seed_numpy_refuses_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumpyRandomState(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumpyRandomState(1L << 32));
    }
}
