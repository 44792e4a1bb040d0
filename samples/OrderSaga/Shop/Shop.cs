namespace OrderSaga;

/// <summary>
/// The outside world the checkout steps change: stock, payments, shipping and the orders themselves. A real shop would
/// call services; handlers are created with <c>new()</c> (injection comes with hosting), so they reach these statically.
/// </summary>
public static class Shop
{
    public static Warehouse Warehouse { get; } = new(new Dictionary<string, int> { ["kettle"] = 10, ["teapot"] = 4 });

    public static PaymentGateway Payments { get; } = new();

    public static Carrier Carrier { get; } = new(new HashSet<string>(StringComparer.Ordinal) { "Antarctica" });

    public static OrderBook Orders { get; } = new();
}
