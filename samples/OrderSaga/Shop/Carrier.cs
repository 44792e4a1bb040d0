namespace OrderSaga;

/// <summary>Ships parcels, except to the destinations it has no route to.</summary>
public sealed class Carrier(IReadOnlySet<string> unserved)
{
    private int _parcels;

    public Shipment Ship(string orderId, string destination)
    {
        if (unserved.Contains(destination))
        {
            throw new InvalidOperationException($"The carrier has no route to {destination}.");
        }

        return new Shipment(orderId, destination, $"track-{Interlocked.Increment(ref _parcels)}");
    }
}
