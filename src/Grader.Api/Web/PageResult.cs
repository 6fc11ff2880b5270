using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Web;

// A page as the answer to a form post (to show a secret once, or what to fix), in the same
// document and layout as when it is reached by its route: a component rendered straight from
// an endpoint gets neither the stylesheet nor the navigation otherwise.
public static class PageResult
{
    public static RazorComponentResult<App> Of<TPage>(object parameters, int statusCode = StatusCodes.Status200OK) where TPage : IComponent =>
        WithParameters<TPage>(parameters.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(parameters)), statusCode);

    /// <summary>The same, with the parameters by name, for a page whose parameters are chosen case by case.</summary>
    public static RazorComponentResult<App> WithParameters<TPage>(IReadOnlyDictionary<string, object?> parameters, int? statusCode) where TPage : IComponent =>
        new(new Dictionary<string, object?>
        {
            [nameof(App.Page)] = typeof(TPage),
            [nameof(App.PageParameters)] = parameters.ToDictionary(),
        })
        {
            StatusCode = statusCode,
        };
}
