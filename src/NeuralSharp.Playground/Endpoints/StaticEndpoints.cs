using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NeuralSharp.Playground.Endpoints;

/// <summary>The page itself: index.html, app.js, style.css and the icon, embedded in the assembly (no build step, no CDN).</summary>
public static class StaticEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
        ["favicon.svg"] = "image/svg+xml",
        // browsers ask for /favicon.ico whatever the page names: the same picture
        ["favicon.ico"] = "image/svg+xml",
    };

    /// <summary>Maps <c>/</c> and the page's files.</summary>
    public static IEndpointRouteBuilder MapPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => File("index.html"));
        app.MapGet("/{file}", (string file) => ContentTypes.ContainsKey(file) ? File(file) : Results.NotFound());
        return app;
    }

    private static IResult File(string name)
    {
        Stream stream = typeof(StaticEndpoints).Assembly.GetManifestResourceStream("wwwroot/" + (name == "favicon.ico" ? "favicon.svg" : name))
            ?? throw new InvalidOperationException($"The page file {name} is missing from the assembly.");
        return Results.Stream(stream, ContentTypes[name]);
    }
}
