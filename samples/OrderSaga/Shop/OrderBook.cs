using System.Collections.Concurrent;

namespace OrderSaga;

/// <summary>The shop's orders, by id.</summary>
public sealed class OrderBook
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);

    public Order Place(string orderId) =>
        _orders.TryAdd(orderId, new Order(orderId)) ? _orders[orderId] : throw new ArgumentException($"Order {orderId} was already placed.", nameof(orderId));

    public Order this[string orderId] =>
        _orders.TryGetValue(orderId, out var order) ? order : throw new KeyNotFoundException($"No order {orderId} was placed.");
}
