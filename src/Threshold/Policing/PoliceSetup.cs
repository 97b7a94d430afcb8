using Threshold.Safeguarding;
using Threshold.Storage.Policing;

namespace Threshold.Policing;

/// <summary>What police cases add to the web application (one call from ThresholdWeb).</summary>
public static class PoliceSetup
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = new PoliceOptions();
            sp.GetRequiredService<IConfiguration>().GetSection("Police").Bind(options);
            return options;
        });
        services.AddSingleton<PoliceQueries>();
        services.AddSingleton<PoliceCaseService>();
        services.AddSingleton<PoliceWorkLists>();
        services.AddSingleton<IntelligenceSearch>();
        services.AddSingleton<ChildConcernReferrals>();
        services.AddSingleton<IReferralRecordedHook, PoliceReferralWatch>();
    }
}
