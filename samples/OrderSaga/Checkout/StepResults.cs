namespace OrderSaga;

// What each forward step commits. The saga hands a step's result to its compensation: it says what to undo.

/// <summary>The result of <c>reserve-stock</c>, and the input of its compensation <c>release-stock</c>.</summary>
public sealed record StockReservation(string OrderId, string Sku, int Quantity);

/// <summary>The result of <c>charge-card</c>, and the input of its compensation <c>refund-card</c>.</summary>
public sealed record CardCharge(string OrderId, string PaymentId, string CardEnding, decimal Amount);

/// <summary>The result of <c>ship-order</c>, the last step, which has nothing to undo.</summary>
public sealed record Shipment(string OrderId, string Destination, string TrackingNumber);
