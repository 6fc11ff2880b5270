using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Grader.Api.Hosting;

public static class ValidatedOptions
{
    // Registration needs some settings before the container exists (roles, pool sizes, the
    // database). Binding and validating them here, once, and registering that same instance means
    // the values used at registration are the validated ones every service sees.
    public static T AddValidatedOptions<T>(this IHostApplicationBuilder builder, string section) where T : class, new()
    {
        if (builder.Properties.TryGetValue(typeof(T), out var bound))
        {
            return (T)bound;
        }
        var options = new T();
        builder.Configuration.GetSection(section).Bind(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T),
                results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
        builder.Services.AddSingleton<IOptions<T>>(Options.Create(options));
        builder.Properties[typeof(T)] = options;
        return options;
    }

    // The one line an operator reads when a setting is out of range, instead of a stack trace.
    public static string Describe(OptionsValidationException e) =>
        "Configuration error: " + string.Join("; ", e.Failures);
}
