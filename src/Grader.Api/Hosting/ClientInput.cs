using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grader.Api.Hosting;

// The longest a client's text field may be, in UTF-16 characters: the same bound as its column.
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TextLimitAttribute(int maxLength) : Attribute
{
    public int MaxLength { get; } = maxLength;

    // Tabs and line breaks make sense in a description, not in a name or an id.
    public bool Multiline { get; init; }
}

// The one policy for text a client sends: valid Unicode (no lone surrogates), no control
// characters (PostgreSQL cannot store NUL at all), and no longer than the column that keeps it.
// An endpoint filter applies it to every bound string, request record and header; handlers that
// read their own bodies call Check or Validate.
public static class ClientInput
{
    // For route values, query strings and headers that declare no limit of their own.
    public const int DefaultMaxLength = 200;

    private static readonly ConcurrentDictionary<Type, PropertyRule[]> Rules = new();

    private sealed record PropertyRule(PropertyInfo Property, string Name, TextLimitAttribute Limit);

    // What is wrong with the text, said so that the client can fix it; null when it is fine.
    public static string? Check(string? value, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > maxLength)
        {
            return $"At most {maxLength} characters (this has {value.Length}).";
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"Not valid Unicode text: a lone surrogate U+{(int)c:X4} at position {i}. Send UTF-8 text.";
            }
            else if (char.IsControl(c) && !(multiline && c is '\t' or '\n' or '\r'))
            {
                return c == '\0'
                    ? $"Contains a NUL character at position {i}; send plain text."
                    : $"Contains the control character U+{(int)c:X4} at position {i}; send plain text{(multiline ? "" : " on one line")}.";
            }
        }
        return null;
    }

    // Every [TextLimit] property of a request record, by its JSON name; empty when all are fine.
    public static Dictionary<string, string[]> Validate(object? request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request is not null)
        {
            foreach (var rule in RulesFor(request.GetType()))
            {
                switch (rule.Property.GetValue(request))
                {
                    case string text when Check(text, rule.Limit.MaxLength, rule.Limit.Multiline) is { } problem:
                        errors[rule.Name] = [problem];
                        break;
                    case string?[] items:
                        for (var i = 0; i < items.Length; i++)
                        {
                            if ((items[i] is null ? "Must not be null." : Check(items[i], rule.Limit.MaxLength, rule.Limit.Multiline)) is { } itemProblem)
                            {
                                errors[$"{rule.Name}[{i}]"] = [itemProblem];
                                break;
                            }
                        }
                        break;
                }
            }
        }
        return errors;
    }

    public static ValidationProblem Problem(Dictionary<string, string[]> errors)
    {
        var (field, reasons) = errors.First();
        return TypedResults.ValidationProblem(errors, title: "Invalid text in the request",
            detail: $"{field}: {reasons[0]}{(errors.Count > 1 ? $" ({errors.Count} fields need fixing; see errors.)" : "")}");
    }

    public static TBuilder WithClientInputChecks<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Filter);

    // Built once per endpoint: which arguments hold client text, under which name and limit.
    private static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var isService = context.ApplicationServices.GetService<Microsoft.Extensions.DependencyInjection.IServiceProviderIsService>();
        var checks = new List<(int Index, string Name, TextLimitAttribute Limit, bool IsRecord)>();
        var parameters = context.MethodInfo.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.ParameterType == typeof(string))
            {
                checks.Add((i, BindingName(p), p.GetCustomAttribute<TextLimitAttribute>() ?? new TextLimitAttribute(DefaultMaxLength), false));
            }
            else if (p.ParameterType.Assembly == typeof(ClientInput).Assembly
                && p.GetCustomAttribute<AsParametersAttribute>() is null
                && isService?.IsService(p.ParameterType) != true)
            {
                // Fails at start-up, not at the first request, when a request record has an unbounded string.
                _ = RulesFor(p.ParameterType);
                checks.Add((i, p.Name ?? "body", new TextLimitAttribute(0), true));
            }
        }
        if (checks.Count == 0)
        {
            return next;
        }
        return async invocation =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (index, name, limit, isRecord) in checks)
            {
                var argument = invocation.Arguments[index];
                if (isRecord)
                {
                    foreach (var (field, reasons) in Validate(argument))
                    {
                        errors[field] = reasons;
                    }
                }
                else if (Check(argument as string, limit.MaxLength, limit.Multiline) is { } problem)
                {
                    errors[name] = [problem];
                }
            }
            return errors.Count > 0 ? Problem(errors) : await next(invocation).ConfigureAwait(false);
        };
    }

    private static PropertyRule[] RulesFor(Type type) => Rules.GetOrAdd(type, t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) || p.PropertyType == typeof(string[]))
        .Select(p => new PropertyRule(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            p.GetCustomAttribute<TextLimitAttribute>()
            ?? throw new InvalidOperationException($"{t.Name}.{p.Name} is client text: give it a [property: TextLimit(n)] matching its column.")))
        .ToArray());

    private static string BindingName(ParameterInfo p) =>
        p.GetCustomAttribute<FromHeaderAttribute>()?.Name
        ?? p.GetCustomAttribute<FromFormAttribute>()?.Name
        ?? p.GetCustomAttribute<FromQueryAttribute>()?.Name
        ?? p.Name
        ?? "value";
}
