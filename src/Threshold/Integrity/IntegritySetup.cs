using Threshold.Policing;
using Threshold.Safeguarding;
using Threshold.Storage.Integrity;

namespace Threshold.Integrity;

/// <summary>What the referral integrity check adds to the application (one call from ThresholdWeb).</summary>
public static class IntegritySetup
{
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IntegrityQueries>();
        services.AddSingleton<IntegrityIndex>();
        services.AddSingleton<IReferralIntegrityCheck, ReferralIntegrityCheck>();
        services.AddSingleton<IReferralRecordedHook, IntegrityDisclosures>();
        services.AddSingleton<IntegrityDisclosures>();
        services.AddSingleton<IntegrityRecheck>();
        services.AddSingleton<IPoliceCaseHook>(sp => sp.GetRequiredService<IntegrityRecheck>());
        services.AddSingleton<IReferralStepHook, IntegrityLoop>();
        services.AddHostedService<IntegrityIndexWarmUp>();
    }
}

/// <summary>Fills the person index when the server starts, so the first referral does not wait for it (it would catch up itself otherwise).</summary>
public sealed class IntegrityIndexWarmUp(IntegrityIndex index, ILogger<IntegrityIndexWarmUp> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await index.CatchUpAsync(stoppingToken);
        log.LogInformation("Integrity index: {Count} people on record, loaded in {Elapsed} ms", index.Count, started.ElapsedMilliseconds);
    }
}
