using System.Text;

namespace Grader.Runner;

/// <summary>
/// Collects what student code writes to Console, up to a cap. The first write past the cap calls
/// <paramref name="capReached"/>, which ends the call from inside the write: output that never
/// stops must not run the case into its wall limit.
/// </summary>
internal sealed class CappedConsoleWriter(int capChars, Action capReached) : TextWriter
{
    private readonly StringBuilder _buffer = new();

    public override Encoding Encoding => Encoding.UTF8;

    public bool Truncated { get; private set; }

    public override void Write(char value)
    {
        if (_buffer.Length < capChars)
        {
            _buffer.Append(value);
        }
        else
        {
            Overflow();
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }
        int room = capChars - _buffer.Length;
        if (value.Length <= room)
        {
            _buffer.Append(value);
        }
        else
        {
            _buffer.Append(value, 0, Math.Max(0, room));
            Overflow();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public (string Text, bool Truncated) TakeAll()
    {
        var result = (_buffer.ToString(), Truncated);
        _buffer.Clear();
        Truncated = false;
        return result;
    }

    private void Overflow()
    {
        if (!Truncated)
        {
            Truncated = true;
            capReached();
        }
    }
}
