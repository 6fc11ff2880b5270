using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grader.Core.Sandbox;

namespace Grader.Runner;

/// <summary>
/// The runner's side of the protocol, read with <see cref="JsonNode"/> and written with
/// <see cref="Utf8JsonWriter"/>: System.Text.Json's serializer costs a fresh process about 25 ms of
/// CPU on its first message, and every submission pays for a fresh process. The names and shapes
/// are those the host's <see cref="RunnerJson"/> contract reads and writes (camelCase, nulls left out).
/// </summary>
internal static class RunnerWire
{
    public static RunnerRequest ReadRequest(string line)
    {
        var json = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("a request must be a JSON object");
        string? Text(string name) => json[name]?.GetValue<string>();
        var args = json["args"] as JsonArray;
        // The arguments are handed on as they are: detached, they need no copy.
        json.Remove("args");
        return new RunnerRequest
        {
            Op = Text("op") ?? throw new JsonException("a request needs an op"),
            Nonce = Text("nonce") ?? throw new JsonException("a request needs a nonce"),
            Assembly = Text("assembly"),
            HelperAssembly = Text("helperAssembly"),
            Function = Text("function"),
            Args = args,
            ReturnArgs = json["returnArgs"]?.GetValue<bool>() ?? false,
            OutputCapBytes = json["outputCapBytes"]?.GetValue<int>() ?? 64 * 1024,
        };
    }

    public static void WriteReply(IBufferWriter<byte> buffer, RunnerReply reply)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteString("nonce", reply.Nonce);
        json.WriteString("status", reply.Status);
        if (reply.Value is { } value)
        {
            json.WritePropertyName("value");
            value.WriteTo(json);
        }
        if (reply.ArgsAfter is { } argsAfter)
        {
            json.WritePropertyName("argsAfter");
            argsAfter.WriteTo(json);
        }
        if (reply.Fault is { } fault)
        {
            json.WriteStartObject("fault");
            json.WriteString("type", fault.Type);
            json.WriteStartArray("typeChain");
            foreach (var type in fault.TypeChain)
            {
                json.WriteStringValue(type);
            }
            json.WriteEndArray();
            json.WriteString("message", fault.Message);
            json.WriteEndObject();
        }
        json.WriteString("output", reply.Output);
        json.WriteBoolean("outputTruncated", reply.OutputTruncated);
        json.WriteNumber("elapsedMs", reply.ElapsedMs);
        json.WriteEndObject();
    }
}
