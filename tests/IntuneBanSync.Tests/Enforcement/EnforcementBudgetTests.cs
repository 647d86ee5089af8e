namespace IntuneBanSync.Tests.Enforcement;

public sealed class EnforcementBudgetTests
{
    [Fact]
    public void Budget_gives_what_it_has_left()
    {
        var budget = new EnforcementBudget(5);

        var taken = budget.TryTake(5);

        Assert.True(taken);
    }

    [Fact]
    public void Budget_refuses_more_than_it_has_left()
    {
        var budget = new EnforcementBudget(5);
        budget.TryTake(3);

        var taken = budget.TryTake(3);

        Assert.False(taken);
    }

    [Fact]
    public void Refused_request_takes_nothing_from_the_budget()
    {
        var budget = new EnforcementBudget(5);
        budget.TryTake(3);
        budget.TryTake(3);

        var taken = budget.TryTake(2);

        Assert.True(taken);
    }

    [Fact]
    public void Spent_budget_refuses_even_one_more()
    {
        var budget = new EnforcementBudget(2);
        budget.TryTake(2);

        var taken = budget.TryTake(1);

        Assert.False(taken);
    }

    [Fact]
    public void Nothing_new_to_enforce_is_always_allowed()
    {
        var budget = new EnforcementBudget(0);

        var taken = budget.TryTake(0);

        Assert.True(taken);
    }
}
