using Threshold.Domain.Harassment;
using Threshold.Harassment.Correspondents;

namespace Threshold.Harassment;

/// <summary>Issue 4, step 2: contacts from the same person are grouped, with the reason shown; a common or one-word name is never enough.</summary>
public sealed class CorrespondentGroupingTests
{
    private static CorrespondentIndex IndexWith(params (string Id, ContactSender Sender)[] known)
    {
        var index = new CorrespondentIndex();
        foreach (var (id, sender) in known)
        {
            index.Add(id, sender);
        }
        return index;
    }

    private static readonly ContactSender Gary = new("Gary Pike", "gary.pike@example.net");

    [Fact]
    public void Same_address_groups_whatever_the_case_or_display_name()
    {
        var decision = IndexWith(("cor-1", Gary)).Decide(new ContactSender("G", "Gary.Pike@Example.NET"));
        Assert.Equal("cor-1", decision.CorrespondentId);
        Assert.StartsWith("same address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_uncommon_name_from_a_second_account_groups_and_says_so()
    {
        var decision = IndexWith(("cor-1", Gary)).Decide(new ContactSender("Gary Pike", "truthteller1988@example.com"));
        Assert.Equal("cor-1", decision.CorrespondentId);
        Assert.Contains("same uncommon name", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("different address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_common_surname_or_a_one_word_name_from_another_address_is_a_new_correspondent()
    {
        var index = IndexWith(("cor-1", new ContactSender("John Smith", "john.smith@example.net")), ("cor-2", new ContactSender("Dave", "dave@example.net")));
        Assert.True(index.Decide(new ContactSender("John Smith", "jsmith@example.org")).IsNew);
        Assert.True(index.Decide(new ContactSender("Dave", "dave.k@example.org")).IsNew);
        Assert.True(index.Decide(new ContactSender("Customer Services", "cs@example.org")).IsNew);
    }

    [Fact]
    public void Similar_address_and_similar_name_group_through_nicknames_and_spelling()
    {
        var index = IndexWith(("cor-1", new ContactSender("Gareth Pyke", "gareth.pyke77@example.net")), ("cor-9", new ContactSender("Gareth Pyke", "g.pyke@example.org")));
        // Two correspondents already share the name, so the name alone no longer decides; the address does.
        var decision = index.Decide(new ContactSender("Gaz Pike", "garethpyke77@example.com"));
        Assert.Equal("cor-1", decision.CorrespondentId);
        Assert.StartsWith("similar address", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_phone_number_in_a_signature_groups()
    {
        var index = IndexWith(("cor-1", Gary with { Phone = "07700 900123" }));
        var decision = index.Decide(new ContactSender("GP", "anon4422@example.com", "+44 7700 900123"));
        Assert.Equal("cor-1", decision.CorrespondentId);
        Assert.StartsWith("same phone number", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stranger_is_a_new_correspondent_with_the_reason_given()
    {
        var decision = IndexWith(("cor-1", Gary)).Decide(new ContactSender("Lyn Bardsley", "lyn@example.org"));
        Assert.True(decision.IsNew);
        Assert.Contains("first contact from lyn@example.org", decision.Reason, StringComparison.Ordinal);
    }
}
