namespace Weaver.Tests.Support;

/// <summary>
/// Runs rounds of a race: each round, a fresh machine is set up, then <see cref="Threads"/> long-lived threads are
/// released together by a <see cref="Barrier"/> to fire one trigger each on it. A barrier alone releases the threads
/// one by one (the last to arrive runs first), so after it the threads also spin until all of them are there, and
/// only then fire. Nothing sleeps; the barrier publishes the machine to the threads and their results back.
/// </summary>
public static class Race
{
    /// <summary>At least 8 threads, and 4 per core.</summary>
    public static readonly int Threads = Math.Max(8, Environment.ProcessorCount * 4);

    /// <summary>One round: the machine after the race, and what each thread's trigger returned.</summary>
    public sealed record Round<TMachine>(TMachine Machine, bool[] Results)
    {
        public int Winners => Results.Count(won => won);
    }

    /// <summary>Runs the rounds and returns them; assert on them afterwards, once every thread has finished.</summary>
    /// <param name="rounds">How many fresh machines to race on.</param>
    /// <param name="setUp">Creates a round's machine (on the test thread).</param>
    /// <param name="fire">What thread <c>i</c> does to the machine; returns the trigger's result.</param>
    public static IReadOnlyList<Round<TMachine>> Run<TMachine>(int rounds, Func<TMachine> setUp, Func<TMachine, int, bool> fire)
    {
        var threads = Threads;
        using var barrier = new Barrier(threads + 1);
        var played = new List<Round<TMachine>>(rounds);
        var failures = new List<Exception>();
        var machine = default(TMachine)!;
        var results = Array.Empty<bool>();
        var arrived = 0;

        var workers = Enumerable.Range(0, threads).Select(index => new Thread(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                barrier.SignalAndWait(); // start: machine and results are published
                SpinUntilAllArrived(ref arrived, threads);
                try
                {
                    results[index] = fire(machine, index);
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }

                barrier.SignalAndWait(); // end: the round is over for everyone
            }
        })
        { IsBackground = true, Name = $"race-{index}" }).ToList();
        workers.ForEach(worker => worker.Start());

        for (var round = 0; round < rounds; round++)
        {
            machine = setUp();
            results = new bool[threads];
            arrived = 0;
            barrier.SignalAndWait();
            barrier.SignalAndWait();
            played.Add(new Round<TMachine>(machine, results));
        }

        workers.ForEach(worker => worker.Join());
        if (failures.Count > 0)
        {
            throw new AggregateException("A racing trigger threw.", failures);
        }

        return played;
    }

    private static void SpinUntilAllArrived(ref int arrived, int threads)
    {
        Interlocked.Increment(ref arrived);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref arrived) < threads)
        {
            spinner.SpinOnce(sleep1Threshold: -1); // spins, then yields the processor; never blocks
        }
    }
}
