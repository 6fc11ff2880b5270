namespace Grader.Core.Sandbox;

// NumPy's legacy RandomState (np.random.seed(s) then np.random.rand/uniform/randint), bit for bit,
// behind System.Random: a submission takes a `Random rng` and a case passes one seeded the course's
// way with {"$numpyRandom": s}, so the course's own seeded outputs can be checked exactly.
//   NextDouble()      = random_sample(): 53 bits from two draws, (a >> 5, b >> 6)
//   Next(lo, hi)      = randint(lo, hi): masked rejection on 32-bit draws (64-bit past 2^32)
//   a + (b − a)·NextDouble() = uniform(a, b)
// Seeding is NumPy's for an integer seed: MT19937 init_genrand(seed & 0xffffffff).
// Shared with Grader.Runner as source, like the protocol.
public sealed class NumpyRandomState : Random
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _position;

    public NumpyRandomState(long seed)
    {
        if (seed is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(seed), seed, "NumPy accepts seeds from 0 to 2^32 − 1.");
        }
        var s = (uint)seed;
        for (var i = 0; i < N; i++)
        {
            _state[i] = s;
            s = unchecked(1812433253u * (s ^ (s >> 30)) + (uint)i + 1);
        }
        _position = N;
    }

    public override double NextDouble()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    protected override double Sample() => NextDouble();

    public override float NextSingle() => (float)NextDouble();

    public override int Next() => Next(0, int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return Next(0, maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)NextInt64(minValue, maxValue);
    }

    public override long NextInt64() => NextInt64(0, long.MaxValue);

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return NextInt64(0, maxValue);
    }

    // randint(low, high): high exclusive; an empty range gives low, as Random does (NumPy refuses it).
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        if (maxValue - minValue <= 1)
        {
            return minValue;
        }
        var range = (ulong)(maxValue - minValue - 1);
        var mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        ulong value;
        if (range <= uint.MaxValue)
        {
            do
            {
                value = NextUInt32() & mask;
            }
            while (value > range);
        }
        else
        {
            do
            {
                value = (((ulong)NextUInt32() << 32) | NextUInt32()) & mask;
            }
            while (value > range);
        }
        return minValue + (long)value;
    }

    // RandomState.bytes(n): four bytes per draw, least significant first.
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    public override void NextBytes(Span<byte> buffer)
    {
        for (var i = 0; i < buffer.Length; i += 4)
        {
            var word = NextUInt32();
            for (var j = 0; j < 4 && i + j < buffer.Length; j++)
            {
                buffer[i + j] = (byte)(word >> (8 * j));
            }
        }
    }

    public uint NextUInt32()
    {
        if (_position >= N)
        {
            Twist();
        }
        var y = _state[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_state[i] & 0x80000000u) | (_state[(i + 1) % N] & 0x7fffffffu);
            _state[i] = _state[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
        }
        _position = 0;
    }
}
