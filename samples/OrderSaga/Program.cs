using OrderSaga;
using Weaver;

// Two orders check out as sagas: reserve stock -> charge card -> ship, each step with a compensation. The first order
// ships. The second goes to a destination the carrier cannot reach: shipping fails on every attempt, so the saga undoes
// the steps that succeeded, last first (refund the card, then release the stock).
var failures = new List<string>();
void Expect(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what);
    }
}

var handlers = WeaverHandlers.RegisterAll(new HandlerRegistry());
using var engine = new TaskEngine(handlers);
using var coordinator = new JobCoordinator(engine);
await using (var workers = new WorkerGroup(engine, new WorkerGroupOptions { Concurrency = 2, Name = "checkout" }))
{
    workers.Start();

    var kettles = new OrderRequest("order-1001", "kettle", 2, 29.90m, "4111 1111 1111 1111", "Berlin");
    var shipped = await CheckoutAsync(kettles);
    Expect(shipped.State == JobLifecycle.State.Succeeded && shipped.Saga == SagaLifecycle.State.Completed, "order-1001 should succeed with its saga completed");
    Expect(shipped.Compensations.Count == 0, "order-1001 should need no compensation");
    Expect(Shop.Orders["order-1001"].Current == Order.State.Shipped, "order-1001 should be shipped");
    Expect(Shop.Warehouse.OnHand("kettle") == 8 && Shop.Payments.Captured("order-1001") == kettles.Total, "order-1001's stock and payment should be taken");

    var teapot = new OrderRequest("order-1002", "teapot", 1, 31.00m, "5500 0000 0000 0004", "Antarctica");
    var undone = await CheckoutAsync(teapot);
    Expect(undone.State == JobLifecycle.State.Failed && undone.Saga == SagaLifecycle.State.Compensated, "order-1002 should fail with its saga compensated");
    Expect(
        undone.Compensations.Select(c => $"{c.TaskId}:{c.State}").SequenceEqual(["charge:Succeeded", "reserve:Succeeded"]),
        "order-1002's compensations should undo charge, then reserve, both successfully");
    Expect(
        Shop.Orders["order-1002"].Path.SequenceEqual([Order.State.Placed, Order.State.StockReserved, Order.State.Paid, Order.State.Refunded, Order.State.Cancelled]),
        "order-1002 should be refunded before it is cancelled");
    Expect(Shop.Warehouse.OnHand("teapot") == 4 && !Shop.Warehouse.IsReserved("order-1002"), "order-1002's teapot should be back in stock");
    Expect(Shop.Payments.Captured("order-1002") == 0m, "order-1002's charge should be refunded");
}

Console.WriteLine($"Stock after both orders: kettle {Shop.Warehouse.OnHand("kettle")}, teapot {Shop.Warehouse.OnHand("teapot")} (it started at 10 and 4).");
if (failures.Count > 0)
{
    Console.Error.WriteLine($"The sample did not behave as expected ({failures.Count} check(s) failed):");
    failures.ForEach(failure => Console.Error.WriteLine($"  - {failure}"));
    return 1;
}

Console.WriteLine("All checks passed.");
return 0;

async Task<JobResult> CheckoutAsync(OrderRequest request)
{
    Console.WriteLine($"== {request.OrderId}: {request.Quantity} x {request.Sku} for {request.Total}, to ship to {request.Destination} ==");
    var order = Shop.Orders.Place(request.OrderId);
    var id = await coordinator.SubmitJobAsync(CheckoutSaga.For(request));
    var result = await coordinator.WaitForJobAsync(id).WaitAsync(TimeSpan.FromSeconds(30), engine.TimeProvider);

    Console.WriteLine($"Job {id} ended {result.State}, saga {result.Saga}.");
    if (result.Reason is { } reason)
    {
        Console.WriteLine($"  Reason: {reason}");
    }

    foreach (var (task, value) in result.Results)
    {
        Console.WriteLine($"  {task}: {value}");
    }

    foreach (var (task, error) in result.Errors)
    {
        Console.WriteLine($"  {task}: {error}");
    }

    Console.WriteLine(result.Compensations.Count == 0 ? "  Compensations: none." : "  Compensations, in the order they ran:");
    var number = 0;
    foreach (var compensation in result.Compensations)
    {
        var undo = engine.Get(compensation.EngineTaskId);
        Console.WriteLine($"    {++number}. {compensation.TaskId} undone by {compensation.Kind}: {compensation.State} after {compensation.Attempts} attempt(s): {undo.Result}");
    }

    Console.WriteLine($"  Order {order.Id}: {string.Join(" -> ", order.Path)}");
    Console.WriteLine();
    Console.WriteLine($"ExplainAsync({id}):");
    var explanation = await coordinator.ExplainAsync(id);
    Console.WriteLine(explanation.Text);
    return result;
}
