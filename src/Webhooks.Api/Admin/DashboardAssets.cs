using Microsoft.Extensions.FileProviders;

namespace Webhooks.Api.Admin;

/// <summary>
/// The dashboard's stylesheet and script, embedded in the assembly and served under /admin/assets: the pages link
/// them instead of carrying inline style or script, wherever the app runs from.
/// </summary>
public static class DashboardAssets
{
    public const string Path = "/admin/assets";

    /// <summary>The same files for the partner portal, under its own path (its session cookie is sent under /portal only).</summary>
    public const string PortalPath = "/portal/assets";

    public static IApplicationBuilder UseDashboardAssets(this IApplicationBuilder app)
    {
        foreach (var path in new[] { Path, PortalPath })
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = path,
                FileProvider = new EmbeddedFileProvider(typeof(DashboardAssets).Assembly, "Webhooks.Api.Admin.Assets"),
                OnPrepareResponse = file => file.Context.Response.Headers.XContentTypeOptions = "nosniff",
            });
        }

        return app;
    }
}
