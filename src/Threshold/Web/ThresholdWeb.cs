using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Threshold.Access;
using Threshold.Administration;
using Threshold.Domain;
using Threshold.Domain.Agencies;
using Threshold.Storage;
using Threshold.Storage.Administration;
using Threshold.Storage.Ledger;

namespace Threshold.Web;

/// <summary>Builds the web application: one store, Identity on the ledger, pages, API, health and OpenAPI.</summary>
public static class ThresholdWeb
{
    public const string SignInRateLimit = "sign-in";

    /// <summary>Policy name for a role: <c>role:investigator</c>.</summary>
    public static string RolePolicy(string role) => $"role:{role}";

    public static WebApplication Build(ThresholdStore store, ServeOptions options, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Found next to the executable, so a published build runs from any folder.
            ApplicationName = typeof(ThresholdWeb).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(store);
        services.AddSingleton(options);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton<AdministrationQueries>();
        services.AddSingleton<AdministrationService>();
        services.AddSingleton<ReadGateway>();
        services.AddSingleton<IPasswordHasher<ThresholdUser>, PasswordHasher<ThresholdUser>>();
        Safeguarding.SafeguardingSetup.AddServices(services);
        Harassment.HarassmentSetup.AddServices(services);
        Policing.PoliceSetup.AddServices(services);
        Integrity.IntegritySetup.AddServices(services);

        services.AddIdentityCore<ThresholdUser>(o =>
            {
                o.Password.RequiredLength = AdministrationService.MinimumPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
            })
            .AddUserStore<ThresholdUserStore>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<ThresholdClaimsFactory>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(c =>
            {
                c.LoginPath = "/sign-in";
                c.LogoutPath = "/sign-out";
                c.AccessDeniedPath = "/forbidden";
                c.Cookie.Name = "threshold";
                c.Cookie.HttpOnly = true;
                c.Cookie.SameSite = SameSiteMode.Strict;
                c.ExpireTimeSpan = TimeSpan.FromHours(8);
                c.SlidingExpiration = true;
                // API callers get status codes, not redirects to the sign-in page.
                c.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                c.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            }));
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);

        services.AddAuthorization(o =>
        {
            foreach (var role in Role.All)
            {
                o.AddPolicy(RolePolicy(role.Slug), p => p.RequireRole(role.Slug));
            }
            o.AddPolicy("api", p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser());
            Safeguarding.SafeguardingSetup.AddPolicies(o);
            Pages.Police.PolicePages.AddPolicies(o);
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            Safeguarding.SafeguardingSetup.AddRateLimit(o);
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var referral = ctx.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName == Safeguarding.ReferralsApi.PublicReferralRateLimit;
                if (referral && Safeguarding.SafeguardingSetup.RedirectFormFlood(ctx.HttpContext))
                {
                    return;
                }
                await Results.Problem(title: "Too many attempts",
                    detail: referral ? Safeguarding.SafeguardingSetup.RateLimitedMessage : "Too many sign-in attempts from your address. Wait a minute and try again.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(ctx.HttpContext);
            };
        });

        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AuthorizePage("/Audit/Index", RolePolicy(Role.Auditor.Slug));
            o.Conventions.AuthorizeFolder("/Administration", RolePolicy(Role.Administrator.Slug));
            Safeguarding.SafeguardingSetup.Pages(o.Conventions);
            Harassment.HarassmentSetup.Pages(o.Conventions);
            Pages.Police.PolicePages.Pages(o.Conventions);
        });
        services.AddProblemDetails();
        // A body that cannot be bound (malformed JSON, a number where text belongs) reaches the exception
        // handler below and is answered with a detail saying what was wrong, not a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);

        var app = builder.Build();

        Safeguarding.ServerTiming.Use(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleExceptionAsync });
        app.Use(SecurityHeaders);
        // API callers get RFC 9457 problem documents for bare status codes; people get a page.
        app.UseWhen(c => IsApi(c.Request), a => a.UseStatusCodePages());
        app.UseWhen(c => !IsApi(c.Request), a => a.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapStaticAssets();
        app.MapRazorPages();
        app.MapOpenApi();
        app.MapGet("/health", async (ThresholdStore s, CancellationToken ct) =>
                await s.PingAsync(ct)
                    ? Results.Ok(new { status = "ok", store = s.Kind.ToString() })
                    : Results.Problem(title: "Store unavailable", detail: "The store did not answer.", statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().WithTags("Operations");
        Api.AccessApi.Map(app);
        Safeguarding.ReferralsApi.Map(app);
        Safeguarding.SubjectAccessApi.Map(app);
        Harassment.HarassmentApi.Map(app);
        Policing.PoliceApi.Map(app);
        return app;
    }

    /// <summary>
    /// Untrusted content (e-mail bodies, referral text) is never live HTML; the policy is the second
    /// line of defence: scripts and styles only from Threshold itself, no framing, no plug-ins.
    /// Inline style attributes are allowed for the agency's colour on the page body.
    /// </summary>
    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        return next();
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApi(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Known refusals become 4xx problem documents; anything else a 500 without a stack trace.</summary>
    private static async Task HandleExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, title, detail) = error switch
        {
            DomainRuleException rule => (StatusCodes.Status422UnprocessableEntity, rule.Rule, rule.Message),
            ConcurrencyConflictException conflict => (StatusCodes.Status409Conflict, "Stale version", conflict.Message),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } bad =>
                (bad.StatusCode, "Bad request", $"The body is not valid JSON for this request: {json.Message}"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error",
                "Something went wrong on our side. Nothing was half-written: try again, and tell your administrator if it persists."),
        };
        context.Response.StatusCode = status;
        if (IsApi(context.Request) || !HttpMethods.IsGet(context.Request.Method))
        {
            await Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{title}: {detail}");
    }
}
