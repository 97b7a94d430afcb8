using Threshold.Infrastructure;
using Threshold.Storage.Administration;

namespace Threshold.Administration;

/// <summary>The administration read model is a projection: dropping and rebuilding it from the ledger gives the same answers.</summary>
public sealed class AdministrationReadModelTests(TestApp app) : IClassFixture<TestApp>
{
    [Fact]
    public async Task Rebuilding_the_read_models_from_the_ledger_gives_the_same_users_agencies_and_agreements()
    {
        var queries = new AdministrationQueries(app.Store);
        await app.Administration.IssueTokenAsync("investigator@harbourside-police.example", TimeSpan.FromDays(1), "test");
        var usersBefore = await AllUsersAsync(queries);
        var agenciesBefore = (await queries.ListAgenciesAsync()).Select(a => $"{a.AgencyId}|{a.Name}|{a.Kind}|{a.Colour}").ToList();
        var agreementsBefore = (await queries.AgreementsForAsync("riverside-council")).Select(a => a.Agencies).ToList();

        await app.Store.RebuildProjectionsAsync();

        Assert.Equal(usersBefore, await AllUsersAsync(queries));
        Assert.Equal(agenciesBefore, (await queries.ListAgenciesAsync()).Select(a => $"{a.AgencyId}|{a.Name}|{a.Kind}|{a.Colour}").ToList());
        Assert.Equal(agreementsBefore, (await queries.AgreementsForAsync("riverside-council")).Select(a => a.Agencies).ToList());
        Assert.Equal(DemoSeed.Users.Count, usersBefore.Count);
    }

    [Fact]
    public async Task A_second_user_with_the_same_email_in_any_case_is_refused()
    {
        var error = await Assert.ThrowsAsync<Domain.DomainRuleException>(() => app.Administration.AddUserAsync(
            "harbourside-police", "INVESTIGATOR@harbourside-police.example", "investigator", null, null, "long-enough-pw", "test"));
        Assert.Equal("UserEmailMustBeUnique", error.Rule);
    }

    private static async Task<List<string>> AllUsersAsync(AdministrationQueries queries)
    {
        var all = new List<string>();
        foreach (var agency in DemoSeed.Agencies)
        {
            all.AddRange((await queries.ListUsersAsync(agency.Id)).Select(u => $"{u.UserId}|{u.Email}|{u.Roles}|{u.PasswordHash}|{u.DisplayName}|{u.Phone}"));
        }
        return all;
    }
}
