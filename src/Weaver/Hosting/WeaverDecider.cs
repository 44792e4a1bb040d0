namespace Weaver;

/// <summary>A decider registered with <c>services.AddWeaverDecider</c>, which a Weaver host adds to its job client.</summary>
/// <param name="Kind">The task kind it decomposes.</param>
/// <param name="Decider">The decider.</param>
internal sealed record WeaverDecider(string Kind, IDecider Decider);
