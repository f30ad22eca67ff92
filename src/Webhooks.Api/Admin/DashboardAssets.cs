using Microsoft.Extensions.FileProviders;

namespace Webhooks.Api.Admin;

/// <summary>
/// The dashboard's stylesheet and script, embedded in the assembly and served under /admin/assets: the pages link
/// them instead of carrying inline style or script, wherever the app runs from.
/// </summary>
public static class DashboardAssets
{
    public const string Path = "/admin/assets";

    public static IApplicationBuilder UseDashboardAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = new EmbeddedFileProvider(typeof(DashboardAssets).Assembly, "Webhooks.Api.Admin.Assets"),
            OnPrepareResponse = file => file.Context.Response.Headers.XContentTypeOptions = "nosniff",
        });
}
