using Weaver;

namespace OrderSaga;

/// <summary>The checkout of one order as a saga: a chain of steps, each with the compensation that undoes it.</summary>
public static class CheckoutSaga
{
    /// <summary>Shipping is tried three times, 100 ms then 200 ms apart, before the saga gives up on it.</summary>
    public static RetryPolicy ShippingRetry { get; } = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(100), Jitter = 0 };

    /// <summary>The job for <paramref name="order"/>, whose id is the order's.</summary>
    public static JobSpec For(OrderRequest order) => new(
    [
        new JobTaskSpec("reserve", "reserve-stock", order) { Compensation = new CompensationSpec("release-stock") },
        new JobTaskSpec("charge", "charge-card", order) { DependsOn = ["reserve"], Compensation = new CompensationSpec("refund-card") },
        new JobTaskSpec("ship", "ship-order", order) { DependsOn = ["charge"], Retry = ShippingRetry },
    ])
    {
        Id = order.OrderId,
    };
}
