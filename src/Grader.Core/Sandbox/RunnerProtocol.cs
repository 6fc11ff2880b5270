using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Grader.Core.Sandbox;

// The narrow protocol between the trusted side and a runner: one JSON object a line on a private
// channel. Every request carries a fresh nonce; a reply without it is never believed.
// This file is compiled into the runner too, so it may use nothing beyond System.Text.Json.

public static class RunnerProtocol
{
    /// <summary>The longest reply a runner sends (UTF-8 bytes, without the newline).</summary>
    public const int MaxReplyBytes = 48 << 20;

    /// <summary>The longest reply line the parent reads; anything longer is refused unread.</summary>
    public const int MaxReplyChars = MaxReplyBytes + (1 << 20);
}

public static class RunnerOps
{
    public const string Load = "load";
    public const string Call = "call";
}

public static class RunnerStatus
{
    public const string Ok = "ok";
    public const string Exception = "exception";
    public const string MemoryLimit = "memory-limit";
    public const string OutputLimit = "output-limit";
    public const string BadRequest = "bad-request";
}

public sealed record RunnerRequest
{
    public required string Op { get; init; }
    public required string Nonce { get; init; }
    /// <summary>Base64 of the compiled submission (load only).</summary>
    public string? Assembly { get; init; }
    /// <summary>
    /// Base64 of the package's compiled <c>helpers.csx</c> (load only, optional): functions a case
    /// passes as a delegate argument with <c>{"$function": name}</c>.
    /// </summary>
    public string? HelperAssembly { get; init; }
    public string? Function { get; init; }
    public JsonArray? Args { get; init; }
    /// <summary>Send the arguments back as they are after the call, to detect mutation.</summary>
    public bool ReturnArgs { get; init; }
    public int OutputCapBytes { get; init; } = 64 * 1024;
}

public sealed record RunnerReply
{
    public required string Nonce { get; init; }
    public required string Status { get; init; }
    public JsonNode? Value { get; init; }
    public JsonArray? ArgsAfter { get; init; }
    public RunnerFault? Fault { get; init; }
    public string Output { get; init; } = "";
    public bool OutputTruncated { get; init; }
    public double ElapsedMs { get; init; }
}

/// <summary>
/// Fault types the runner reports on its own. A student's exception always has a full type name
/// (a namespace, or <c>Submission+</c> for a type declared in the submission), so these cannot be faked.
/// </summary>
public static class RunnerFaultTypes
{
    public const string MissingFunction = "MissingMethodException";
    public const string ParameterTypeMismatch = "ParameterTypeMismatch";
    public const string ResultTooLarge = "ResultTooLarge";
    public const string UnsupportedResult = "UnsupportedResult";

    public static bool IsRunnerMade(string type) => type is MissingFunction or ParameterTypeMismatch or ResultTooLarge or UnsupportedResult;
}

/// <summary>An exception thrown by student code, as plain data: type names outermost first.</summary>
public sealed record RunnerFault(string Type, IReadOnlyList<string> TypeChain, string Message);

public static class RunnerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>Source-generated metadata: no reflection warm-up on the first message a runner reads.</summary>
    public static RunnerJsonContext Context { get; } = new(new JsonSerializerOptions(Options));
}

[JsonSerializable(typeof(RunnerRequest))]
[JsonSerializable(typeof(RunnerReply))]
public sealed partial class RunnerJsonContext : JsonSerializerContext;
