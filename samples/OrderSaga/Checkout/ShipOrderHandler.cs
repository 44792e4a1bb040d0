using Weaver;

namespace OrderSaga;

/// <summary>Step 3: hand the parcel to the carrier. It fails on every attempt when the carrier has no route.</summary>
[TaskHandler("ship-order")]
public sealed partial class ShipOrderHandler : ITaskHandler<OrderRequest, Shipment>
{
    public ValueTask<Shipment> HandleAsync(OrderRequest input, TaskContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var shipment = Shop.Carrier.Ship(input.OrderId, input.Destination);
        Shop.Orders[input.OrderId].MoveTo(Order.State.Shipped, order => order.TryShip());
        return ValueTask.FromResult(shipment);
    }
}
