using System.Text;

namespace Grader.Runner;

/// <summary>Collects what student code writes to Console, up to a cap; the rest is dropped and flagged.</summary>
internal sealed class CappedConsoleWriter(int capChars) : TextWriter
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
            Truncated = true;
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
            Truncated = true;
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
}
