using System.Text;
using Grader.Api.Hosting;

namespace Grader.Api.Users;

public sealed record RosterLineError(int Line, string Message);

// LineOf: the line each accepted student came from, for problems found later (an instructor's id).
public sealed record RosterFile(IReadOnlyList<RosterEntry> Entries, IReadOnlyList<RosterLineError> Errors, IReadOnlyDictionary<string, int> LineOf);

// A roster file as course systems export it: one student per line, "external_id,name,email",
// an optional header line, fields quoted when they hold a comma or a quote. A file with any bad
// line imports nothing, and every bad line is named with what to fix.
public static class RosterCsv
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxStudents = 5000;
    // More than this and the page would be a wall of errors; the first ones show what is wrong.
    public const int MaxErrors = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static RosterFile Parse(byte[] bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            return Refused(0, $"The file is {bytes.Length:N0} bytes; a roster file is at most {MaxBytes:N0} bytes ({MaxStudents:N0} students). Split it and import each part.");
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Refused(0, "The file is not UTF-8 text. Save it from your spreadsheet as \"CSV UTF-8\" and import it again.");
        }
        return Parse(text);
    }

    public static RosterFile Parse(string text)
    {
        var entries = new List<RosterEntry>();
        var errors = new List<RosterLineError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.TrimStart('\uFEFF').Split('\n');
        var headerChecked = false;
        for (var i = 0; i < lines.Length && errors.Count < MaxErrors; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            if (SplitLine(line) is not { } fields)
            {
                errors.Add(new(number, "A quoted field is not closed on this line. Close the quote (write a quote inside a field as \"\")."));
                continue;
            }
            if (!headerChecked)
            {
                headerChecked = true;
                if (IsHeader(fields))
                {
                    continue;
                }
            }
            if (fields.Count != 3)
            {
                errors.Add(new(number, $"This line has {fields.Count} field{(fields.Count == 1 ? "" : "s")}; a roster line has 3: external_id,name,email (quote a field that holds a comma)."));
                continue;
            }
            var entry = new RosterEntry(fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
            var problems = Check(entry);
            if (seen.TryGetValue(entry.ExternalId, out var first))
            {
                problems.Add($"The external id '{entry.ExternalId}' is already on line {first}: each student once.");
            }
            if (problems.Count > 0)
            {
                errors.Add(new(number, string.Join(" ", problems)));
                continue;
            }
            seen[entry.ExternalId] = number;
            entries.Add(entry);
        }
        if (errors.Count == 0 && entries.Count == 0)
        {
            errors.Add(new(0, "The file has no students. Each line is external_id,name,email, for example: s1001,Ada Lovelace,ada@example.edu"));
        }
        if (entries.Count > MaxStudents)
        {
            errors.Add(new(0, $"The file has {entries.Count:N0} students; import at most {MaxStudents:N0} at a time."));
        }
        return new RosterFile(errors.Count == 0 ? entries : [], errors, seen);
    }

    // What is wrong with one student's fields, each said so that it can be fixed; the add-student form uses it too.
    public static List<string> Check(RosterEntry entry)
    {
        var problems = new List<string>();
        if (entry.ExternalId.Length == 0)
        {
            problems.Add("The external id (first field) is empty: give the student's id in your course system.");
        }
        else if (ClientInput.Check(entry.ExternalId, UserStore.MaxExternalId) is { } idProblem)
        {
            problems.Add($"External id: {idProblem}");
        }
        else if (entry.ExternalId.Any(char.IsWhiteSpace))
        {
            problems.Add($"The external id '{entry.ExternalId}' contains a space; ids are one word, such as s1001.");
        }
        if (ClientInput.Check(entry.DisplayName, UserStore.MaxDisplayName) is { } nameProblem)
        {
            problems.Add($"Name: {nameProblem}");
        }
        if (entry.Email.Length == 0)
        {
            problems.Add("The email (third field) is empty.");
        }
        else if (ClientInput.Check(entry.Email, UserStore.MaxEmail) is { } emailProblem)
        {
            problems.Add($"Email: {emailProblem}");
        }
        else if (!LooksLikeEmail(entry.Email))
        {
            problems.Add($"'{entry.Email}' is not an email address (name@example.edu).");
        }
        return problems;
    }

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace);
    }

    private static bool IsHeader(List<string> fields) =>
        fields.Count > 0 && Normalise(fields[0]) is "externalid" or "id" or "studentid" or "userid" or "sisid";

    private static string Normalise(string field) =>
        new([.. field.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    // RFC 4180 fields on one line; null when a quote is left open.
    private static List<string>? SplitLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                // Anything between the closing quote and the next comma is kept as written.
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // the comma
        }
    }

    private static RosterFile Refused(int line, string message) => new([], [new RosterLineError(line, message)], new Dictionary<string, int>());
}
