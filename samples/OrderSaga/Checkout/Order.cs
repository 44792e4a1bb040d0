using System.Collections.Concurrent;
using Weaver;

namespace OrderSaga;

/// <summary>
/// One order's lifecycle. The saga's steps move it forward; its compensations move it back, and only in the right order:
/// a paid order must be refunded before its stock can be released and the order cancelled.
/// </summary>
[TaskMachine]
public partial class Order
{
    private readonly ConcurrentQueue<State> _path = new();

    public Order(string id)
    {
        Id = id;
        _path.Enqueue(Current);
    }

    public enum State
    {
        [Initial] Placed,
        StockReserved,
        Paid,
        [Terminal] Shipped,
        Refunded,
        [Terminal] Cancelled,
    }

    public string Id { get; }

    /// <summary>Every state the order was in, in order.</summary>
    public IReadOnlyList<State> Path => [.. _path];

    [Transition(State.Placed, State.StockReserved)]
    public partial bool TryReserveStock();

    [Transition(State.StockReserved, State.Paid)]
    public partial bool TryPay();

    [Transition(State.Paid, State.Shipped)]
    public partial bool TryShip();

    [Transition(State.Paid, State.Refunded)]
    public partial bool TryRefund();

    /// <summary>The stock is released: from a reserved order, or a paid one that was refunded first.</summary>
    [Transition(State.StockReserved, State.Cancelled)]
    [Transition(State.Refunded, State.Cancelled)]
    public partial bool TryCancel();

    /// <summary>
    /// Moves the order to <paramref name="target"/> with <paramref name="trigger"/>. A step runs at least once, so a retry
    /// may find the order there already; any other state means the steps ran out of order.
    /// </summary>
    public void MoveTo(State target, Func<Order, bool> trigger)
    {
        if (!trigger(this) && Current != target)
        {
            throw new InvalidOperationException($"Order {Id} cannot move to {target}: it is {Current}.");
        }
    }

    partial void OnTransitioned(State from, State to) => _path.Enqueue(to);
}
