namespace OrderSaga;

/// <summary>Charges cards and refunds charges; each order is charged at most once.</summary>
public sealed class PaymentGateway
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CardCharge> _charges = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refunded = new(StringComparer.Ordinal);

    /// <summary>Charges the card for an order; asking again for the same order returns the first charge.</summary>
    public CardCharge Charge(string orderId, string card, decimal amount)
    {
        lock (_gate)
        {
            if (_charges.TryGetValue(orderId, out var existing))
            {
                return existing;
            }

            var charge = new CardCharge(orderId, $"pay-{_charges.Count + 1}", card[^4..], amount);
            _charges[orderId] = charge;
            return charge;
        }
    }

    /// <summary>Refunds a charge; refunding it again does nothing.</summary>
    public bool Refund(CardCharge charge)
    {
        lock (_gate)
        {
            return _charges.ContainsKey(charge.OrderId) && _refunded.Add(charge.PaymentId);
        }
    }

    /// <summary>What the shop keeps of an order's payment: its charge, less any refund.</summary>
    public decimal Captured(string orderId)
    {
        lock (_gate)
        {
            return _charges.TryGetValue(orderId, out var charge) && !_refunded.Contains(charge.PaymentId) ? charge.Amount : 0m;
        }
    }
}
