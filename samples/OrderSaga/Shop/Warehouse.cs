namespace OrderSaga;

/// <summary>Stock on hand, and what each order has reserved of it.</summary>
public sealed class Warehouse
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _onHand;
    private readonly Dictionary<string, StockReservation> _reservations = new(StringComparer.Ordinal);

    public Warehouse(IReadOnlyDictionary<string, int> stock) => _onHand = new(stock, StringComparer.Ordinal);

    /// <summary>Reserves stock for an order; asking again for the same order returns the first reservation.</summary>
    public StockReservation Reserve(string orderId, string sku, int quantity)
    {
        lock (_gate)
        {
            if (_reservations.TryGetValue(orderId, out var existing))
            {
                return existing;
            }

            var available = _onHand.GetValueOrDefault(sku);
            if (available < quantity)
            {
                throw new InvalidOperationException($"Only {available} x {sku} in stock; order {orderId} wants {quantity}.");
            }

            _onHand[sku] = available - quantity;
            return _reservations[orderId] = new StockReservation(orderId, sku, quantity);
        }
    }

    /// <summary>Puts an order's reserved stock back; releasing a reservation that is gone does nothing.</summary>
    public bool Release(StockReservation reservation)
    {
        lock (_gate)
        {
            if (!_reservations.Remove(reservation.OrderId))
            {
                return false;
            }

            _onHand[reservation.Sku] += reservation.Quantity;
            return true;
        }
    }

    public int OnHand(string sku)
    {
        lock (_gate)
        {
            return _onHand.GetValueOrDefault(sku);
        }
    }

    public bool IsReserved(string orderId)
    {
        lock (_gate)
        {
            return _reservations.ContainsKey(orderId);
        }
    }
}
