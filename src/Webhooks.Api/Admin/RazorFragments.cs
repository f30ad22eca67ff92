using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Webhooks.Api.Admin;

/// <summary>
/// A partial view rendered to HTML outside MVC: how the pages inside the Hangfire Dashboard draw the same views as
/// /admin, asynchronously, before Hangfire's (synchronous) page writes them.
/// </summary>
internal static class RazorFragments
{
    public static async Task<string> RenderAsync(HttpContext http, string partialName, object model)
    {
        var services = http.RequestServices;
        var actionContext = new ActionContext(http, http.GetRouteData(), new ActionDescriptor());
        var viewResult = services.GetRequiredService<IRazorViewEngine>().FindView(actionContext, partialName, isMainPage: false);
        if (viewResult.View is not { } view)
        {
            throw new InvalidOperationException($"The partial view {partialName} was not found.");
        }

        await using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var viewData = new ViewDataDictionary(services.GetRequiredService<IModelMetadataProvider>(), new ModelStateDictionary()) { Model = model };
        var tempData = services.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(http);
        await view.RenderAsync(new ViewContext(actionContext, view, viewData, tempData, writer, new HtmlHelperOptions()));
        return writer.ToString();
    }
}
