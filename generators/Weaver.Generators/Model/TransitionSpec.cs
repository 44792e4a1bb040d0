namespace Weaver.Generators.Model;

/// <summary>One declared transition of a trigger.</summary>
/// <param name="From">The source state's index in <see cref="MachineSpec.States"/>.</param>
/// <param name="To">The target state's index in <see cref="MachineSpec.States"/>.</param>
/// <param name="Guard">The guard method's name, or <see langword="null"/>.</param>
/// <param name="GuardTakesPayload">Whether the guard takes the trigger's parameters (otherwise none).</param>
internal sealed record TransitionSpec(int From, int To, string? Guard, bool GuardTakesPayload);
