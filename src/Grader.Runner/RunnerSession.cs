using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Grader.Core.Sandbox;
using MathNet.Numerics.LinearAlgebra;

namespace Grader.Runner;

/// <summary>Serves one submission: a load, then calls, each answered with the request's nonce.</summary>
internal sealed class RunnerSession(ProtocolChannel channel)
{
    private object? _instance;
    private object? _helpers;
    private CappedConsoleWriter _console = new(64 * 1024, () => { });
    private RunnerRequest? _current;
    private Stopwatch _watch = new();

    public int Serve()
    {
        WarmUp();
        channel.WriteReady();
        while (channel.Read() is { } request)
        {
            channel.Write(Handle(request));
        }
        return 0;
    }

    private RunnerReply Handle(RunnerRequest request)
    {
        var watch = Stopwatch.StartNew();
        (_current, _watch) = (request, watch);
        try
        {
            var reply = request.Op switch
            {
                RunnerOps.Load => Load(request),
                RunnerOps.Call => Call(request),
                _ => Reply(request, RunnerStatus.BadRequest, fault: new RunnerFault("BadRequest", [], $"unknown op '{request.Op}'")),
            };
            return WithOutput(reply, watch);
        }
        catch (OutOfMemoryException)
        {
            return WithOutput(Reply(request, RunnerStatus.MemoryLimit), watch);
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
            if (inner is OutOfMemoryException)
            {
                return WithOutput(Reply(request, RunnerStatus.MemoryLimit), watch);
            }
            return WithOutput(Reply(request, RunnerStatus.Exception, fault: Describe(inner)), watch);
        }
    }

    /// <summary>
    /// Pays the first-use costs (JSON, conversions, common linear algebra) before saying ready,
    /// while the runner waits in the pool rather than while a student waits for a grade.
    /// </summary>
    private static void WarmUp()
    {
        var request = RunnerWire.ReadRequest(
            """{"op":"call","nonce":"0","function":"F","args":[[[1,2],[3,4]],[1,2],2.5,3,true,"s",{"seed":1}],"returnArgs":true}""");
        var args = request.Args!;
        var matrix = (Matrix<double>)PlainConverter.ToObject(args[0], typeof(Matrix<double>))!;
        var vector = (Vector<double>)PlainConverter.ToObject(args[1], typeof(Vector<double>))!;
        PlainConverter.ToObject(args[0], typeof(double[,]));
        PlainConverter.ToObject(args[1], typeof(double[]));
        PlainConverter.ToObject(args[1], typeof(List<double>));
        PlainConverter.ToObject(args[2], typeof(double));
        PlainConverter.ToObject(args[3], typeof(int));
        var solved = matrix.Solve(vector);
        var product = matrix * matrix.Transpose() + matrix.Clone();
        // Scaling by a number is in most submissions: its first call compiled inside a 1 s case
        // limit timed out on a busy machine.
        var scaled = matrix * 2.5 + matrix.Multiply(0.5) - 1.5 * matrix;
        var stretched = vector * 2.5 + vector.Multiply(0.5);
        var value = PlainConverter.ToPlain((product, solved, product.Determinant(), scaled, stretched, new[] { 1.0 }, 2));
        RunnerWire.WriteReply(new ArrayBufferWriter<byte>(), new RunnerReply
        {
            Nonce = "0",
            Status = RunnerStatus.Ok,
            Value = value,
            ArgsAfter = [.. args.Select(a => a?.DeepClone())],
            Fault = new RunnerFault("T", ["T"], "m"),
        });
    }

    private RunnerReply Load(RunnerRequest request)
    {
        if (_instance is not null || request.Assembly is null)
        {
            return Reply(request, RunnerStatus.BadRequest, fault: new RunnerFault("BadRequest", [], "a runner loads exactly one submission"));
        }
        _console = new CappedConsoleWriter(Math.Max(1, request.OutputCapBytes), EndCallAtOutputCap);
        Console.SetOut(_console);
        if (request.HelperAssembly is { } helpers)
        {
            // Compiled like a submission, so its assembly has the same name: it gets a context of
            // its own, which still shares MathNet and the framework with the submission's.
            _helpers = Instantiate(new AssemblyLoadContext("package-helpers"), helpers, "helpers.csx");
        }
        _instance = Instantiate(AssemblyLoadContext.Default, request.Assembly, "submission");
        PlainConverter.FunctionResolver = ResolveFunction;
        return Reply(request, RunnerStatus.Ok);
    }

    private static object Instantiate(AssemblyLoadContext context, string base64, string what)
    {
        var assembly = context.LoadFromStream(new MemoryStream(Convert.FromBase64String(base64)));
        var scriptClass = assembly.GetType("Submission")
            ?? throw new InvalidOperationException($"the compiled {what} has no script class");
        var factory = scriptClass.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"the compiled {what} has no factory");
        // The factory stores the new script instance in slot 1 and runs the top-level statements.
        var slots = new object?[2];
        var run = (Task<object>)factory.Invoke(null, [slots])!;
        run.GetAwaiter().GetResult();
        return slots[1] ?? throw new InvalidOperationException($"the {what}'s script instance was not created");
    }

    /// <summary>
    /// The function a <c>{"$function": name}</c> argument names, as the parameter's delegate type:
    /// the package's helpers first (their names are the package's), then the submission's own.
    /// </summary>
    private Delegate ResolveFunction(string name, Type delegateType)
    {
        foreach (var target in new[] { _helpers, _instance })
        {
            if (target is null)
            {
                continue;
            }
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in target.GetType().GetMethods(flags).Where(m => m.Name == name && !m.IsGenericMethodDefinition))
            {
                if (Delegate.CreateDelegate(delegateType, method.IsStatic ? null : target, method, throwOnBindFailure: false) is { } bound)
                {
                    return bound;
                }
            }
        }
        throw new PlainConversionException($"no function {name} fits {PlainConverter.Name(delegateType)}");
    }

    private RunnerReply Call(RunnerRequest request)
    {
        if (_instance is null)
        {
            return Reply(request, RunnerStatus.BadRequest, fault: new RunnerFault("BadRequest", [], "no submission loaded"));
        }
        var args = request.Args ?? [];
        var method = FindMethod(_instance.GetType(), request.Function ?? "", args.Count);
        if (method is null)
        {
            return Reply(request, RunnerStatus.Exception, fault: new RunnerFault(
                RunnerFaultTypes.MissingFunction, [RunnerFaultTypes.MissingFunction],
                $"no function named {request.Function} taking {args.Count} argument(s) was found; check its name and parameters against the statement"));
        }
        var parameters = method.GetParameters();
        var values = new object?[args.Count];
        for (int i = 0; i < args.Count; i++)
        {
            try
            {
                values[i] = PlainConverter.ToObject(args[i], parameters[i].ParameterType);
            }
            catch (PlainConversionException e)
            {
                return Reply(request, RunnerStatus.Exception, fault: new RunnerFault(
                    RunnerFaultTypes.ParameterTypeMismatch, [RunnerFaultTypes.ParameterTypeMismatch],
                    $"parameter {parameters[i].Name} of {method.Name} cannot take the test's input: {e.Message}; use the type from the statement"));
            }
        }
        object? result = method.Invoke(method.IsStatic ? null : _instance, values);
        // Turned into plain data here, inside the time limit: student ToString/getters never run outside it.
        JsonNode? value;
        JsonArray? argsAfter = null;
        try
        {
            value = method.ReturnType == typeof(void) ? null : PlainConverter.ToPlain(result);
            if (request.ReturnArgs)
            {
                // A function argument goes back as the name it was given: it has no plain value.
                argsAfter = [.. values.Select((v, i) => v is Delegate ? args[i]?.DeepClone() : PlainConverter.ToPlain(v))];
            }
        }
        catch (UnsupportedResultException e)
        {
            return Reply(request, RunnerStatus.Exception, fault: new RunnerFault(e.ErrorType, [e.ErrorType], e.Message));
        }
        return Reply(request, RunnerStatus.Ok) with { Value = value, ArgsAfter = argsAfter };
    }

    private static MethodInfo? FindMethod(Type type, string name, int argumentCount)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(flags)
            .Where(m => m.Name == name && !m.IsGenericMethodDefinition)
            .FirstOrDefault(m => m.GetParameters().Length == argumentCount);
    }

    /// <summary>
    /// Runs inside the student's Console.Write once the cap is passed: answers the request in hand
    /// with the output so far and parks the thread, so no catch block in student code can carry on.
    /// The parent kills a runner that hit a limit, so the parked thread never runs again.
    /// </summary>
    private void EndCallAtOutputCap()
    {
        if (_current is { } request)
        {
            channel.Write(WithOutput(Reply(request, RunnerStatus.OutputLimit), _watch));
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private RunnerReply WithOutput(RunnerReply reply, Stopwatch watch)
    {
        var (text, truncated) = _console.TakeAll();
        var status = truncated && reply.Status is RunnerStatus.Ok or RunnerStatus.Exception ? RunnerStatus.OutputLimit : reply.Status;
        return reply with { Status = status, Output = text, OutputTruncated = truncated, ElapsedMs = watch.Elapsed.TotalMilliseconds };
    }

    private static RunnerReply Reply(RunnerRequest request, string status, RunnerFault? fault = null) =>
        new() { Nonce = request.Nonce, Status = status, Fault = fault };

    private static RunnerFault Describe(Exception e)
    {
        var chain = new List<string>();
        for (var t = e.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Add(t.FullName ?? t.Name);
        }
        string message;
        try
        {
            message = e.Message;
        }
        catch (Exception)
        {
            message = "(the exception's message could not be read)";
        }
        if (message.Length > 500)
        {
            message = message[..500] + " …";
        }
        return new RunnerFault(e.GetType().FullName ?? e.GetType().Name, chain, message);
    }
}
