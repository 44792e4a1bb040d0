using Weaver;

namespace OrderSaga;

/// <summary>Step 2: charge the customer's card.</summary>
[TaskHandler("charge-card")]
public sealed partial class ChargeCardHandler : ITaskHandler<OrderRequest, CardCharge>
{
    public ValueTask<CardCharge> HandleAsync(OrderRequest input, TaskContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var charge = Shop.Payments.Charge(input.OrderId, input.Card, input.Total);
        Shop.Orders[input.OrderId].MoveTo(Order.State.Paid, order => order.TryPay());
        return ValueTask.FromResult(charge);
    }
}

/// <summary>Undoes step 2: refunds the charge step 2 committed.</summary>
[TaskHandler("refund-card")]
public sealed partial class RefundCardHandler : ITaskHandler<CardCharge, string>
{
    public ValueTask<string> HandleAsync(CardCharge input, TaskContext context)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        var refunded = Shop.Payments.Refund(input);
        Shop.Orders[input.OrderId].MoveTo(Order.State.Refunded, order => order.TryRefund());
        return ValueTask.FromResult(refunded ? $"{input.Amount} refunded to card ending {input.CardEnding}" : "already refunded");
    }
}
