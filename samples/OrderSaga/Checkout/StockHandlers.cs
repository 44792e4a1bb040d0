using Weaver;

namespace OrderSaga;

/// <summary>Step 1: reserve the ordered stock.</summary>
[TaskHandler("reserve-stock")]
public sealed partial class ReserveStockHandler : ITaskHandler<OrderRequest, StockReservation>
{
    public ValueTask<StockReservation> HandleAsync(OrderRequest input, TaskContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var reservation = Shop.Warehouse.Reserve(input.OrderId, input.Sku, input.Quantity);
        Shop.Orders[input.OrderId].MoveTo(Order.State.StockReserved, order => order.TryReserveStock());
        return ValueTask.FromResult(reservation);
    }
}

/// <summary>Undoes step 1: puts the reserved stock back, given the reservation step 1 committed.</summary>
[TaskHandler("release-stock")]
public sealed partial class ReleaseStockHandler : ITaskHandler<StockReservation, string>
{
    public ValueTask<string> HandleAsync(StockReservation input, TaskContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var released = Shop.Warehouse.Release(input);
        Shop.Orders[input.OrderId].MoveTo(Order.State.Cancelled, order => order.TryCancel());
        return ValueTask.FromResult(released ? $"{input.Quantity} x {input.Sku} back in stock" : "already released");
    }
}
