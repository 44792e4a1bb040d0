using Weaver.Samples.Tests.Infrastructure;

namespace Weaver.Samples.Tests;

public sealed class OrderSagaRun() : SampleRunFixture("OrderSaga");

[Collection(SampleCollection.Name)]
public sealed class OrderSagaTests(OrderSagaRun sample) : IClassFixture<OrderSagaRun>
{
    private readonly SampleRun _run = sample.Run;

    [Fact]
    public void It_exits_with_0_once_its_own_checks_pass()
    {
        _run.AssertSucceeded();
        Assert.Equal("All checks passed.", _run.StandardOutput[^1]);
    }

    [Fact]
    public void The_first_order_ships_with_nothing_to_compensate()
    {
        var job = _run.IndexOf("Job order-1001 ended");
        Assert.Equal("Job order-1001 ended Succeeded, saga Completed.", _run.Line("Job order-1001 ended"));
        Assert.Equal("Compensations: none.", _run.Line("Compensations", job));
        Assert.Equal("Order order-1001: Placed -> StockReserved -> Paid -> Shipped", _run.Line("Order order-1001:"));
    }

    [Fact]
    public void The_second_order_is_compensated_last_step_first()
    {
        var job = _run.IndexOf("Job order-1002 ended");
        Assert.Equal("Job order-1002 ended Failed, saga Compensated.", _run.Line("Job order-1002 ended"));
        Assert.StartsWith("ship: InvalidOperationException: The carrier has no route to Antarctica", _run.Line("ship:", job));

        var refund = _run.IndexOf("1. charge undone by refund-card: Succeeded after 1 attempt(s)", job);
        var release = _run.IndexOf("2. reserve undone by release-stock: Succeeded after 1 attempt(s)", job);
        Assert.True(refund > job && release == refund + 1, _run.Describe());

        // The order's machine allows a release only from a reserved or a refunded order, so this path is the reverse order.
        Assert.Equal("Order order-1002: Placed -> StockReserved -> Paid -> Refunded -> Cancelled", _run.Line("Order order-1002:"));
        Assert.Equal("Stock after both orders: kettle 8, teapot 4 (it started at 10 and 4).", _run.Line("Stock after both orders:"));
    }

    [Fact]
    public void The_explanation_tells_the_retries_of_shipping_and_the_compensations()
    {
        var explanation = _run.IndexOf("ExplainAsync(order-1002):");
        Assert.True(explanation > 0, _run.Describe());
        Assert.StartsWith("Job 'order-1002' failed (saga compensated): Task 'ship' is dead", _run.Line("Job 'order-1002'", explanation));

        var ship = _run.IndexOf("ship (ship-order): dead", explanation);
        Assert.True(ship > explanation, _run.Describe());
        Assert.EndsWith(": failed", _run.Line("attempt 3,", ship));
        Assert.Contains("No attempts are left (3 of 3)", _run.StandardOutput[_run.IndexOf("attempt 3,", ship) + 2], StringComparison.Ordinal);

        var compensations = _run.IndexOf("Compensations (last step first)", explanation);
        Assert.True(compensations > ship, _run.Describe());
        Assert.Equal("1. charge undone by refund-card: succeeded after 1 attempt(s)", _run.StandardOutput[compensations + 1].Trim());
        Assert.Equal("2. reserve undone by release-stock: succeeded after 1 attempt(s)", _run.StandardOutput[compensations + 2].Trim());
    }
}
