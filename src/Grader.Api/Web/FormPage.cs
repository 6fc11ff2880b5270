using Microsoft.AspNetCore.Http.HttpResults;

namespace Grader.Api.Web;

// A form's page shown again as the answer to its POST (with the refusal on it), inside the whole
// document and layout: a RazorComponentResult of the page alone would have neither head nor layout.
public static class FormPage
{
    public static RazorComponentResult<App> Show<TPage>(IDictionary<string, object> parameters, int? statusCode) =>
        new(new Dictionary<string, object?> { [nameof(App.Page)] = typeof(TPage), [nameof(App.PageParameters)] = parameters })
        {
            StatusCode = statusCode,
        };
}
