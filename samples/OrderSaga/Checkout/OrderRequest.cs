namespace OrderSaga;

/// <summary>What the customer ordered: the input of every forward step of the checkout.</summary>
public sealed record OrderRequest(string OrderId, string Sku, int Quantity, decimal UnitPrice, string Card, string Destination)
{
    public decimal Total => Quantity * UnitPrice;
}
